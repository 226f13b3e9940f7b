package dev.tsdb.head;

/**
 * Progress of a WAL replay, readable from other threads while {@link Head#open} runs (the
 * server's /api/v1/status/walreplay and readiness). Segment indexes are those after the
 * checkpoint; the checkpoint itself is replayed before {@code min} is known.
 */
public final class ReplayProgress {
  /** Prometheus's walReplayStatus: first and last segment to replay, last one done. */
  public record Status(int min, int max, int current) {}

  private volatile Status status = new Status(0, 0, 0);
  private volatile boolean started;
  private volatile boolean done;

  void start(int first, int last) {
    status = new Status(first, last, first);
    started = true;
  }

  void segmentsDone(int upTo) {
    Status s = status;
    status = new Status(s.min(), s.max(), Math.min(Math.max(upTo, s.current()), s.max()));
  }

  void finish() {
    Status s = status;
    status = new Status(s.min(), s.max(), s.max());
    done = true;
  }

  public Status status() {
    return status;
  }

  public boolean done() {
    return done;
  }

  /** 0..1: segments done of those to replay (1 once finished or when there are none). */
  public double fraction() {
    if (done) {
      return 1;
    }
    if (!started) {
      return 0;
    }
    Status s = status;
    int total = s.max() - s.min() + 1;
    return total <= 0 ? 1 : Math.min(1.0, (double) (s.current() - s.min()) / total);
  }
}
