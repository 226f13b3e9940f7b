package dev.tsdb.rules;

/** A rule evaluation failure with Prometheus's message ("exceeded limit of 2 with 3 series"). */
public class RuleEvalException extends Exception {
  public RuleEvalException(String message) {
    super(message);
  }
}
