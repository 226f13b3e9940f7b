package dev.tsdb.server.forward;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides the number of shards as Prometheus's queue manager does: from exponentially weighted
 * rates of items read in, items sent out and time spent sending, the shards needed to keep up
 * with the input plus 5% of the backlog per interval (the backlog being the input rate times how
 * far the newest sent timestamp lags the newest read one). Changes within 30% of the current
 * count are ignored, and the result stays within min/max shards.
 */
final class ShardCalculator {
  private static final double ALPHA = 0.2;
  private static final double TOLERANCE = 0.3;
  private static final double BACKLOG_CATCHUP = 0.05;

  private final AtomicLong in = new AtomicLong();
  private final AtomicLong out = new AtomicLong();
  private final AtomicLong outNanos = new AtomicLong();
  private final Ewma inRate = new Ewma();
  private final Ewma outRate = new Ewma();
  private final Ewma outDuration = new Ewma();

  /** A rate per second, smoothed across ticks. */
  private static final class Ewma {
    private double rate;
    private boolean init;

    void tick(double count, double seconds) {
      double r = count / seconds;
      if (!init) {
        rate = r;
        init = true;
      } else {
        rate += ALPHA * (r - rate);
      }
    }
  }

  void in(long n) {
    in.addAndGet(n);
  }

  void sent(long n, long nanos) {
    out.addAndGet(n);
    outNanos.addAndGet(nanos);
  }

  /**
   * Takes the counts since the last call and returns the shards wanted.
   *
   * @param lagSeconds newest timestamp read minus newest sent, in seconds
   */
  int desired(int current, int min, int max, double intervalSeconds, double lagSeconds) {
    inRate.tick(in.getAndSet(0), intervalSeconds);
    outRate.tick(out.getAndSet(0), intervalSeconds);
    outDuration.tick(outNanos.getAndSet(0) / 1e9, intervalSeconds);
    if (outRate.rate <= 0) {
      return clamp(current, min, max);
    }
    double timePerItem = outDuration.rate / outRate.rate;
    double backlog = Math.max(0, lagSeconds) * inRate.rate;
    double wanted = timePerItem * (inRate.rate + BACKLOG_CATCHUP * backlog);
    int desired = (int) Math.ceil(wanted);
    if (desired >= current * (1 - TOLERANCE) && desired <= current * (1 + TOLERANCE)) {
      desired = current;
    }
    return clamp(desired, min, max);
  }

  private static int clamp(int n, int min, int max) {
    return Math.max(Math.max(1, min), Math.min(Math.max(min, max), n));
  }
}
