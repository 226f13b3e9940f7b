package dev.tsdb.index.histogram;

/**
 * Two histograms cannot be combined: one has custom buckets and the other exponential ones, or
 * both have custom buckets with different bounds. The messages are Prometheus's
 * (ErrHistogramsIncompatibleSchema, ErrHistogramsIncompatibleBounds).
 */
public final class IncompatibleHistogramsException extends IllegalArgumentException {
  public static final String MIXED_SCHEMAS = "cannot apply this operation on histograms with a "
      + "mix of exponential and custom bucket schemas";
  public static final String DIFFERENT_BOUNDS = "cannot apply this operation on custom buckets "
      + "histograms with different custom bounds";

  private static final long serialVersionUID = 1L;

  private IncompatibleHistogramsException(String message) {
    super(message);
  }

  /** Throws when {@code a} and {@code b} cannot be added, subtracted or compared bucket-wise. */
  static void check(FloatHistogram a, FloatHistogram b) {
    if (a.usesCustomBuckets() != b.usesCustomBuckets()) {
      throw new IncompatibleHistogramsException(MIXED_SCHEMAS);
    }
    if (a.usesCustomBuckets() && !HistogramLayout.sameBounds(a.customValues, b.customValues)) {
      throw new IncompatibleHistogramsException(DIFFERENT_BOUNDS);
    }
  }
}
