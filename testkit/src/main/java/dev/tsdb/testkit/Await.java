package dev.tsdb.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling until a condition holds, for tests that watch background work. */
public final class Await {
  private Await() {}

  /** Checks {@code cond} every 20 ms; an AssertionError naming {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier cond)
      throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
