package dev.tsdb.promql.parser;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs recursive work (parsing, type checking, formatting) that may recurse deeper than a
 * default thread stack allows. The parser and the AST walkers recurse per nesting level and per
 * chained operator, and upstream (Go) grows stacks on demand, so queries of tens of thousands of
 * operands are valid there. Work runs in place; only if it overflows the stack is it retried on
 * a thread with a large stack.
 */
public final class DeepStack {
  private static final long STACK_BYTES = 1L << 30;

  private DeepStack() {}

  /**
   * Returns {@code work.get()}, retried on a large stack after a StackOverflowError.
   *
   * @throws StackOverflowError if even the large stack does not suffice
   */
  public static <T> T call(Supplier<T> work) {
    try {
      return work.get();
    } catch (StackOverflowError e) {
      return onLargeStack(work);
    }
  }

  /** Runs {@code work} on a thread with a large stack (for inputs known to nest deeply). */
  static <T> T onLargeStack(Supplier<T> work) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(null, () -> {
      try {
        result.set(work.get());
      } catch (RuntimeException | Error e) {
        failure.set(e);
      }
    }, "promql-deep-stack", STACK_BYTES);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for deep-stack work", e);
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException re) {
      throw re;
    }
    if (f instanceof Error err) {
      throw err;
    }
    return result.get();
  }
}
