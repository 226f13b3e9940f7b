package dev.tsdb.rules;

/** State of an alert, or of an alerting rule (the highest state of its alerts). */
public enum AlertState {
  /** The rule has not been evaluated yet. */
  UNKNOWN,
  INACTIVE,
  PENDING,
  FIRING;

  /** "unknown", "inactive", "pending", "firing": the alertstate label and API value. */
  public String apiName() {
    return name().toLowerCase();
  }
}
