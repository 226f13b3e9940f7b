package dev.tsdb.rules.rulefmt;

/**
 * Checks a PromQL expression and returns its canonical text (what Prometheus shows as a rule's
 * query and evaluates). Throws with the parser's message (e.g. {@code 1:6: parse error:
 * unexpected end of input}) when the expression is invalid.
 */
@FunctionalInterface
public interface ExprChecker {
  String check(String expr) throws Exception;
}
