package dev.tsdb.promql.parser;

import dev.tsdb.gocompat.GoFloat;

/**
 * One value of a series description: a float (possibly the stale marker) or an omitted sample
 * ({@code _}).
 */
public record SequenceValue(double value, boolean omitted) {
  /** Prometheus's stale marker: a NaN with a distinct bit pattern. */
  public static final long STALE_NAN_BITS = 0x7ff0000000000002L;
  public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);
  public static final SequenceValue OMITTED = new SequenceValue(0, true);

  public static SequenceValue of(double value) {
    return new SequenceValue(value, false);
  }

  /** True for the stale marker (compared by bits, as any NaN != NaN). */
  public boolean isStale() {
    return !omitted && Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SequenceValue v && v.omitted == omitted
        && Double.doubleToRawLongBits(v.value) == Double.doubleToRawLongBits(value);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(Double.doubleToRawLongBits(value)) * 31 + (omitted ? 1 : 0);
  }

  @Override
  public String toString() {
    if (omitted) {
      return "_";
    }
    return isStale() ? "stale" : GoFloat.formatF(value);
  }
}
