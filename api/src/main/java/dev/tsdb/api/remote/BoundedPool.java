package dev.tsdb.api.remote;

import java.util.ArrayDeque;
import java.util.function.Supplier;

/**
 * Reusable per-request state (decode buffers, decoders with their string caches) shared by the
 * HTTP worker threads: borrowed at the start of a request and given back at its end. Unlike one
 * copy per thread, the pool holds only as many as requests ran at once (at most {@code max}), so
 * a server with 64 worker threads and 4 senders keeps 4 sets of buffers, not 64. Last in, first
 * out, so the same few sets stay warm.
 */
final class BoundedPool<T> {
  private final ArrayDeque<T> idle = new ArrayDeque<>();
  private final Supplier<T> factory;
  private final int max;

  BoundedPool(Supplier<T> factory, int max) {
    this.factory = factory;
    this.max = max;
  }

  T borrow() {
    T t;
    synchronized (idle) {
      t = idle.pollFirst();
    }
    return t != null ? t : factory.get();
  }

  /** Gives {@code t} back; dropped when the pool already holds {@code max}. */
  void release(T t) {
    synchronized (idle) {
      if (idle.size() < max) {
        idle.addFirst(t);
      }
    }
  }

  int idleCount() {
    synchronized (idle) {
      return idle.size();
    }
  }
}
