package dev.tsdb.testkit;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Storage for queries that must be stopped: one series {@code m} with a sample of value 1 every
 * millisecond of all time, so decoding any long range never ends by itself. Optionally slow
 * (a pause every 4096 samples) so that a query can last without filling the heap.
 */
public final class EndlessStorage implements Queryable {
  private final boolean slow;
  /** Counted down when a query starts reading samples. */
  public final CountDownLatch reading = new CountDownLatch(1);

  public EndlessStorage(boolean slow) {
    this.slow = slow;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    Series series = new Series() {
      @Override
      public Labels labels() {
        return Labels.of("__name__", "m");
      }

      @Override
      public SampleIterator iterator(SampleIterator reuse) {
        reading.countDown();
        return new Samples();
      }
    };
    return new Querier() {
      @Override
      public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        return SeriesSet.of(List.of(series));
      }

      @Override
      public List<String> labelValues(String name, Matcher... matchers) {
        return List.of();
      }

      @Override
      public List<String> labelNames(Matcher... matchers) {
        return List.of();
      }

      @Override
      public void close() {}
    };
  }

  private final class Samples implements SampleIterator {
    private long t = Long.MIN_VALUE;

    @Override
    public ValueType next() {
      if ((++t & 4095) == 0 && slow) {
        LockSupport.parkNanos(1_000_000L);
      }
      return ValueType.FLOAT;
    }

    @Override
    public ValueType seek(long ts) {
      t = Math.max(t, ts);
      return ValueType.FLOAT;
    }

    @Override
    public long t() {
      return t;
    }

    @Override
    public double v() {
      return 1;
    }
  }
}
