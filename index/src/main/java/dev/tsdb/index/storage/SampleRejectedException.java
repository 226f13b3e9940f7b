package dev.tsdb.index.storage;

/**
 * A sample that an append rule refused. Instances for the common reasons are shared and carry
 * no stack trace, so rejecting samples on the ingest path allocates nothing.
 */
public final class SampleRejectedException extends Exception {
  public enum Reason {
    OUT_OF_ORDER("out of order sample"),
    DUPLICATE("duplicate sample for timestamp"),
    OUT_OF_BOUNDS("out of bounds"),
    TOO_OLD("too old sample"),
    TOO_FAR_IN_FUTURE("too far in the future"),
    INVALID_LABELS("invalid labels"),
    EXEMPLAR_OUT_OF_ORDER("out of order exemplar"),
    EXEMPLAR_LABELS_TOO_LONG("label length for exemplar exceeds maximum of 128 UTF-8 characters"),
    OTHER("rejected");

    private final String message;

    Reason(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

  private static final SampleRejectedException[] SHARED;

  static {
    Reason[] rs = Reason.values();
    SHARED = new SampleRejectedException[rs.length];
    for (Reason r : rs) {
      SHARED[r.ordinal()] = new SampleRejectedException(r, r.message());
    }
  }

  private final Reason reason;

  private SampleRejectedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  /** The shared, stackless instance for a reason. */
  public static SampleRejectedException of(Reason reason) {
    return SHARED[reason.ordinal()];
  }

  /** A new instance with a specific message (for rare reasons such as invalid labels). */
  public static SampleRejectedException withMessage(Reason reason, String message) {
    return new SampleRejectedException(reason, message);
  }

  public Reason reason() {
    return reason;
  }
}
