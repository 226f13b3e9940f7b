package dev.tsdb.index.storage;

/**
 * A read stopped because its query was canceled or ran past its deadline. The messages are Go's
 * context errors, which Prometheus reports when storage stops for the same reasons (for example
 * "expanding series: context deadline exceeded").
 */
public final class QueryAbortedException extends RuntimeException {
  private final boolean deadlineExceeded;

  public QueryAbortedException(boolean deadlineExceeded) {
    super(deadlineExceeded ? "context deadline exceeded" : "context canceled", null, false, false);
    this.deadlineExceeded = deadlineExceeded;
  }

  /** True for a passed deadline, false for a cancellation. */
  public boolean deadlineExceeded() {
    return deadlineExceeded;
  }
}
