package dev.tsdb.api;

/**
 * Whether the server has finished starting (storage open, WAL replayed). Until then /-/ready and
 * the data endpoints answer 503.
 */
public final class Readiness {
  private volatile boolean ready;

  public boolean isReady() {
    return ready;
  }

  public void markReady() {
    ready = true;
  }

  public void markNotReady() {
    ready = false;
  }
}
