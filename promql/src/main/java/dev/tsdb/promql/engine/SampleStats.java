package dev.tsdb.promql.engine;

/**
 * Sample counts of one query for its stats: samples read from storage by selectors (each step
 * a selector is evaluated at counts what it loaded then, histograms at their sample cost) and
 * the peak of samples held at once. Samples read inside a subquery are not counted as read:
 * the function over the subquery counts the subquery's points it looks at instead, so nothing
 * is counted twice.
 */
final class SampleStats {
  private long totalQueryable;
  private long peak;
  private int insideSubquery;

  /** {@code n} samples were read from storage (or from a subquery's result). */
  void read(long n) {
    if (insideSubquery == 0) {
      totalQueryable += n;
    }
  }

  /** The query holds {@code current} samples now. */
  void holding(long current) {
    if (current > peak) {
      peak = current;
    }
  }

  void enterSubquery() {
    insideSubquery++;
  }

  void leaveSubquery() {
    insideSubquery--;
  }

  long totalQueryable() {
    return totalQueryable;
  }

  long peak() {
    return peak;
  }
}
