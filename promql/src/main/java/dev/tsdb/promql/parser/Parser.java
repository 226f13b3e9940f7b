package dev.tsdb.promql.parser;

import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.promql.parser.grammar.PromQLParser;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * PromQL parser with Prometheus 3.x syntax, type checking and error messages.
 *
 * <p>Pipeline: {@link PromQLLexer} (modal, upstream's tokens and lexical errors) → ANTLR parser
 * (grammar PromQLParser.g4; SLL prediction first, full LL only when SLL fails) → {@link
 * AstBuilder} building the AST during the parse → {@link TypeChecker}. All failures are thrown as
 * {@link ParseException} (BAD_DATA) with upstream's {@code line:col: parse error: ...} message.
 */
public final class Parser {
  private static final Map<TokenKind, Integer> TOKEN_TYPES = new EnumMap<>(TokenKind.class);

  static {
    for (TokenKind kind : TokenKind.values()) {
      if (kind == TokenKind.EOF) {
        TOKEN_TYPES.put(kind, Token.EOF);
        continue;
      }
      int type = -1;
      for (int t = 1; t <= PromQLParser.VOCABULARY.getMaxTokenType(); t++) {
        if (kind.name().equals(PromQLParser.VOCABULARY.getSymbolicName(t))) {
          type = t;
        }
      }
      if (type < 0) {
        throw new IllegalStateException("token " + kind + " missing from the grammar");
      }
      TOKEN_TYPES.put(kind, type);
    }
  }

  private Parser() {}

  /** Parses and type-checks an expression with default options (no experimental features). */
  public static Expr parseExpr(String query) {
    return parseExpr(query, ParserOptions.DEFAULT);
  }

  /** Parses and type-checks an expression. */
  public static Expr parseExpr(String query, ParserOptions options) {
    List<Lexeme> lexemes = PromQLLexer.lex(query);
    try {
      // ANTLR's prediction caches are shared; a stack overflow inside the parser could leave
      // them inconsistent, so inputs that may recurse deeply go to a large stack up front.
      return mayRecurseDeeply(lexemes)
          ? DeepStack.onLargeStack(() -> parseExprNow(query, lexemes, options))
          : parseExprNow(query, lexemes, options);
    } catch (StackOverflowError e) {
      throw new ParseException(query, List.of(new ParseError(new PosRange(0, 0),
          "expression is nested too deeply")));
    }
  }

  /** Many tokens or deep nesting: the recursive parser and AST walks need more stack. */
  private static boolean mayRecurseDeeply(List<Lexeme> lexemes) {
    if (lexemes.size() > 2_000) {
      return true;
    }
    int depth = 0;
    int unaryRun = 0;
    for (Lexeme l : lexemes) {
      switch (l.kind()) {
        case LEFT_PAREN, GROUP_PAREN, LEFT_BRACE, LEFT_BRACKET -> depth++;
        case RIGHT_PAREN, RIGHT_BRACE, RIGHT_BRACKET -> depth--;
        default -> {
        }
      }
      unaryRun = l.kind() == TokenKind.ADD || l.kind() == TokenKind.SUB ? unaryRun + 1 : 0;
      if (depth > 64 || unaryRun > 64) {
        return true;
      }
    }
    return false;
  }

  private static Expr parseExprNow(String query, List<Lexeme> lexemes, ParserOptions options) {
    if (lexemes.get(0).kind() == TokenKind.EOF) {
      throw new ParseException(query, List.of(new ParseError(new PosRange(0, 0),
          "no expression found in input")));
    }
    Run run = parse(query, lexemes, options, PromQLParser::exprInput);
    Expr expr = (Expr) run.result;
    TypeChecker checker = new TypeChecker(query, run.modifiers, run.types);
    DeepStack.call(() -> checker.check(expr));
    if (!checker.errors.isEmpty()) {
      throw new ParseException(query, checker.errors);
    }
    return expr;
  }

  /**
   * Parses a series selector such as {@code up{job="api"}} (the API's {@code match[]}) into its
   * matchers; a metric name becomes a trailing {@code __name__} matcher. Like upstream, no
   * check that a matcher is non-empty is done here.
   */
  public static List<Matcher> parseMetricSelector(String selector) {
    List<Lexeme> lexemes = PromQLLexer.lex(selector);
    Run run = parse(selector, lexemes, ParserOptions.DEFAULT, PromQLParser::metricSelectorInput);
    return ((VectorSelector) run.result).matchers();
  }

  /**
   * Parses a series description of the test-script language:
   * {@code http_requests{job="api"} 0+10x10 _ stale 1-2x3 _x4}.
   *
   * @throws NativeHistogramException when a value is a native histogram ({@code {{...}}})
   */
  public static SeriesDescription parseSeriesDesc(String input) {
    List<Lexeme> lexemes = PromQLLexer.lexSeries(input);
    for (Lexeme l : lexemes) {
      if (l.kind() == TokenKind.OPEN_HIST) {
        throw new NativeHistogramException(input, l.start());
      }
    }
    Run run = parse(input, lexemes, ParserOptions.DEFAULT, PromQLParser::seriesInput);
    return (SeriesDescription) run.result;
  }

  private static final class Run {
    Object result;
    Map<dev.tsdb.promql.ast.BinaryExpr, BinModifiers> modifiers;
    Map<Expr, dev.tsdb.promql.ast.ExprType> types;
  }

  private static Run parse(String input, List<Lexeme> lexemes, ParserOptions options,
      Consumer<PromQLParser> entry) {
    List<Token> tokens = toTokens(lexemes);
    Attempt sll = attempt(input, lexemes, tokens, options, entry, PredictionMode.SLL);
    Attempt done = sll.syntaxError == null ? sll
        : attempt(input, lexemes, tokens, options, entry, PredictionMode.LL);
    List<PendingError> errors = orderErrors(done);
    if (!errors.isEmpty()) {
      List<ParseError> out = new ArrayList<>(errors.size());
      for (PendingError e : errors) {
        out.add(e.toParseError());
      }
      throw new ParseException(input, out);
    }
    Run run = new Run();
    run.result = done.builder.result;
    run.modifiers = done.builder.modifiers;
    run.types = done.builder.types;
    return run;
  }

  private record Attempt(AstBuilder builder, PendingError syntaxError, boolean lexical) {}

  private static Attempt attempt(String input, List<Lexeme> lexemes, List<Token> tokens,
      ParserOptions options, Consumer<PromQLParser> entry, PredictionMode mode) {
    PromQLParser parser = new PromQLParser(new CommonTokenStream(new ListTokenSource(tokens)));
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(mode);
    AstBuilder builder = new AstBuilder(options, parser);
    ErrorStrategy strategy = new ErrorStrategy(lexemes, builder);
    parser.setErrorHandler(strategy);
    parser.addParseListener(builder);
    try {
      entry.accept(parser);
    } catch (ParseCancellationException e) {
      // strategy.error holds the first syntax error
    }
    PendingError syntax = strategy.error;
    boolean lexical = syntax != null
        && lexemes.get(syntax.tokenIndex()).kind() == TokenKind.ERROR;
    return new Attempt(builder, syntax, lexical);
  }

  /**
   * Semantic errors in the order found; a lexical error goes before those found once the
   * erroneous token was the lookahead (upstream's lexer runs one token ahead of reductions).
   */
  private static List<PendingError> orderErrors(Attempt a) {
    List<PendingError> errors = new ArrayList<>(a.builder.errors);
    if (a.syntaxError != null) {
      if (a.lexical) {
        int at = errors.size();
        for (int i = 0; i < errors.size(); i++) {
          if (errors.get(i).tokenIndex() >= a.syntaxError.tokenIndex()) {
            at = i;
            break;
          }
        }
        errors.add(at, a.syntaxError);
      } else {
        errors.add(a.syntaxError);
      }
    }
    return errors;
  }

  private static List<Token> toTokens(List<Lexeme> lexemes) {
    List<Token> tokens = new ArrayList<>(lexemes.size());
    for (Lexeme l : lexemes) {
      CommonToken t = new CommonToken(TOKEN_TYPES.get(l.kind()), l.text());
      t.setStartIndex(l.start());
      t.setStopIndex(l.end() - 1);
      t.setLine(1);
      t.setCharPositionInLine(l.start());
      tokens.add(t);
    }
    return tokens;
  }
}
