package dev.tsdb.index.storage;

/**
 * Tells long reads (postings matching, series selection, sorting, chunk decoding, rendering)
 * that the query they serve must stop: its deadline passed, its client went away, or its thread
 * was interrupted. The storage contract has no context argument, so the query's cancellation is
 * bound to the thread that runs it ({@link #enter}); code deep in a read calls {@link #check()}
 * every so many items, which costs a thread-local read and a clock read, and never per sample.
 *
 * <p>A cancellation may have a parent (the HTTP request whose client may disconnect) and a
 * deadline of its own (the query's timeout); it is done when either is.
 */
public final class QueryCancellation {
  /** How many items tight loops handle between two checks (a power of two). */
  public static final int CHECK_EVERY = 1024;

  private static final ThreadLocal<QueryCancellation> CURRENT = new ThreadLocal<>();

  private final QueryCancellation parent;
  private final long deadlineNanos;
  private final boolean hasDeadline;
  private volatile boolean canceled;

  private QueryCancellation(QueryCancellation parent, boolean hasDeadline, long deadlineNanos) {
    this.parent = parent;
    this.hasDeadline = hasDeadline;
    this.deadlineNanos = deadlineNanos;
  }

  /** A cancellation without deadline, done only when {@link #cancel()}ed. */
  public static QueryCancellation create() {
    return new QueryCancellation(null, false, 0);
  }

  /** A child done when this one is, or at {@code deadlineNanos} (System.nanoTime). */
  public QueryCancellation withDeadline(long deadlineNanos) {
    return new QueryCancellation(this, true, deadlineNanos);
  }

  /** Marks the work as canceled (its client went away); safe from any thread. */
  public void cancel() {
    canceled = true;
  }

  /** Whether this or a parent was canceled (not counting deadlines). */
  public boolean isCanceled() {
    for (QueryCancellation c = this; c != null; c = c.parent) {
      if (c.canceled) {
        return true;
      }
    }
    return false;
  }

  /** Whether this or a parent has a deadline that has passed. */
  public boolean deadlinePassed() {
    long now = System.nanoTime();
    for (QueryCancellation c = this; c != null; c = c.parent) {
      if (c.hasDeadline && now - c.deadlineNanos > 0) {
        return true;
      }
    }
    return false;
  }

  /** Throws when the work must stop: canceled first, as the more specific reason. */
  public void throwIfDone() {
    if (isCanceled() || Thread.currentThread().isInterrupted()) {
      throw new QueryAbortedException(false);
    }
    if (deadlinePassed()) {
      throw new QueryAbortedException(true);
    }
  }

  /** The cancellation bound to this thread, or null. */
  public static QueryCancellation current() {
    return CURRENT.get();
  }

  /**
   * Binds this cancellation to the current thread until the returned scope is closed, which
   * restores the previous binding.
   */
  public Scope enter() {
    QueryCancellation previous = CURRENT.get();
    CURRENT.set(this);
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** Throws {@link QueryAbortedException} when the work bound to this thread must stop. */
  public static void check() {
    QueryCancellation c = CURRENT.get();
    if (c != null) {
      c.throwIfDone();
    } else if (Thread.currentThread().isInterrupted()) {
      throw new QueryAbortedException(false);
    }
  }

  /** {@link #check()} once every {@link #CHECK_EVERY} values of a loop counter. */
  public static void checkEvery(long i) {
    if ((i & (CHECK_EVERY - 1)) == 0) {
      check();
    }
  }

  /** An entered binding; closing it restores the previous one. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
