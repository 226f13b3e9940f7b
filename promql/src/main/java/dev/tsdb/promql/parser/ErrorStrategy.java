package dev.tsdb.promql.parser;

import java.util.List;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Stops at the first syntax error (no ANTLR recovery, no ANTLR messages) and records it worded
 * like Prometheus. The AST builder is told to ignore the rule exits that unwinding triggers.
 */
final class ErrorStrategy extends DefaultErrorStrategy {
  private final List<Lexeme> lexemes;
  private final AstBuilder builder;
  PendingError error;

  ErrorStrategy(List<Lexeme> lexemes, AstBuilder builder) {
    this.lexemes = lexemes;
    this.builder = builder;
  }

  @Override
  public void reportError(Parser recognizer, RecognitionException e) {
    if (error == null) {
      Token offending = e.getOffendingToken() != null ? e.getOffendingToken()
          : recognizer.getCurrentToken();
      int index = Math.min(offending.getTokenIndex(), lexemes.size() - 1);
      Lexeme lexeme = lexemes.get(index);
      String message = SyntaxErrors.message(recognizer.getContext(), index, lexemes);
      error = new PendingError(new dev.tsdb.promql.ast.PosRange(lexeme.start(), lexeme.end()),
          message, index);
    }
    builder.failed = true;
    throw new ParseCancellationException(e);
  }

  @Override
  public void recover(Parser recognizer, RecognitionException e) {
    builder.failed = true;
    throw new ParseCancellationException(e);
  }

  @Override
  public Token recoverInline(Parser recognizer) {
    throw new InputMismatchException(recognizer);
  }

  @Override
  public void sync(Parser recognizer) {
    // No early error detection or single-token deletion: report where matching fails.
  }
}
