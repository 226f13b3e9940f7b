package dev.tsdb.rules;

/**
 * The rule module's entry to the PromQL parser: validates an expression and returns its canonical
 * text (Prometheus evaluates and displays {@code expr.String()}, not the file text).
 */
public final class PromQL {
  private PromQL() {}

  /**
   * Parses {@code expr} and returns its canonical form.
   *
   * @throws Exception with the parser's message when the expression is invalid
   */
  public static String format(String expr) throws Exception {
    // Placeholder until the PromQL parser branch is merged: accept the text as written.
    return expr;
  }

  /** False while {@link #format} is the placeholder that accepts everything. */
  public static boolean isRealParser() {
    return false;
  }
}
