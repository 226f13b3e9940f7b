package dev.tsdb.rules;

import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.parser.Parser;

/**
 * The rule module's entry to the PromQL parser: validates an expression and returns its canonical
 * text (Prometheus evaluates and displays {@code expr.String()}, not the file text).
 */
public final class PromQL {
  private PromQL() {}

  /**
   * Parses {@code expr} and returns its canonical form.
   *
   * @throws dev.tsdb.promql.PromQLException with the parser's message (e.g. {@code 1:6: parse
   *     error: unexpected end of input}) when the expression is invalid
   */
  public static String format(String expr) {
    return parse(expr).toString();
  }

  public static Expr parse(String expr) {
    return Parser.parseExpr(expr);
  }

  /** Kept for tests written before the parser was available; always true now. */
  public static boolean isRealParser() {
    return true;
  }
}
