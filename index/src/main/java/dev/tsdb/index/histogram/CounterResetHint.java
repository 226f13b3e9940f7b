package dev.tsdb.index.histogram;

/**
 * What the writer of a native histogram said about counter resets (Prometheus's
 * histogram.CounterResetHint; remote write's Histogram.ResetHint). The ordinal is the value in
 * chunk headers, WAL records and protobuf messages.
 */
public enum CounterResetHint {
  /** No information: a reader detects resets by comparing with the previous histogram. */
  UNKNOWN,
  /** A counter reset happened right before this histogram. */
  COUNTER_RESET,
  /** No counter reset since the previous histogram. */
  NOT_COUNTER_RESET,
  /** A gauge histogram: counts may go up and down, resets do not apply. */
  GAUGE;

  private static final CounterResetHint[] BY_CODE = values();

  public int code() {
    return ordinal();
  }

  /** The hint with the given code; unknown codes read as {@link #UNKNOWN}. */
  public static CounterResetHint of(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : UNKNOWN;
  }
}
