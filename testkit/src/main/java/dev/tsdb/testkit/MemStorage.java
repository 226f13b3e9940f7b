package dev.tsdb.testkit;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.Storage;
import dev.tsdb.index.storage.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A small, uncompressed, non-durable reference implementation of the storage contract. It keeps
 * each series as growing arrays under one read-write lock (native histograms as float histograms,
 * null where a sample is a float). It exists so that layers
 * above the contract (PromQL, API) can be exercised without the real head, and as the oracle the
 * real storage is compared with in tests.
 */
public final class MemStorage implements Storage {
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<Labels, MemSeries> series = new HashMap<>();
  private final List<MemSeries> byRef = new ArrayList<>();
  private long minTime = Long.MAX_VALUE;
  private long maxTime = Long.MIN_VALUE;

  static final class MemSeries {
    final Labels labels;
    long[] ts = new long[8];
    double[] vs = new double[8];
    FloatHistogram[] hs;
    int n;

    MemSeries(Labels labels) {
      this.labels = labels;
    }

    void add(long t, double v, FloatHistogram h) {
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
        if (hs != null) {
          hs = Arrays.copyOf(hs, n * 2);
        }
      }
      if (h != null && hs == null) {
        hs = new FloatHistogram[ts.length];
      }
      ts[n] = t;
      vs[n] = v;
      if (hs != null) {
        hs[n] = h;
      }
      n++;
    }
  }

  private record Pending(Labels labels, long t, double v, FloatHistogram h) {}

  @Override
  public Appender appender() {
    return new Appender() {
      private final List<Pending> pending = new ArrayList<>();

      @Override
      public long append(long ref, Labels labels, long t, double v) throws SampleRejectedException {
        pending.add(new Pending(labels, t, v, null));
        return 0;
      }

      @Override
      public long appendHistogram(long ref, Labels labels, long t, Histogram h,
          FloatHistogram fh) {
        pending.add(new Pending(labels, t, 0, fh != null ? fh.copy() : FloatHistogram.of(h, null)));
        return 0;
      }

      @Override
      public void commit() {
        lock.writeLock().lock();
        try {
          for (Pending p : pending) {
            MemSeries s = series.get(p.labels);
            if (s == null) {
              s = new MemSeries(p.labels);
              series.put(p.labels, s);
              byRef.add(s);
            }
            if (s.n > 0 && p.t <= s.ts[s.n - 1]) {
              continue; // out of order or duplicate: dropped (reference storage, no errors)
            }
            s.add(p.t, p.v, p.h);
            minTime = Math.min(minTime, p.t);
            maxTime = Math.max(maxTime, p.t);
          }
        } finally {
          lock.writeLock().unlock();
          pending.clear();
        }
      }

      @Override
      public void rollback() {
        pending.clear();
      }
    };
  }

  /** Removes every series (the conformance scripts' {@code clear}). */
  public void clear() {
    lock.writeLock().lock();
    try {
      series.clear();
      byRef.clear();
      minTime = Long.MAX_VALUE;
      maxTime = Long.MIN_VALUE;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public long minTime() {
    return minTime;
  }

  @Override
  public long maxTime() {
    return maxTime;
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new Querier() {
      @Override
      public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        List<Series> out = new ArrayList<>();
        // As the block querier: the "series" hint asks for labels only, so a caller that reads
        // samples after selecting with it finds none here too.
        boolean labelsOnly = hints != null && "series".equals(hints.func());
        lock.readLock().lock();
        try {
          for (MemSeries s : byRef) {
            if (!matchesAll(s.labels, matchers)) {
              continue;
            }
            int from = lowerBound(s.ts, s.n, mint);
            int to = lowerBound(s.ts, s.n, maxt == Long.MAX_VALUE ? maxt : maxt + 1);
            if (from >= to) {
              continue;
            }
            if (labelsOnly) {
              out.add(new ArraySeries(s.labels, new long[0], new double[0], null));
              continue;
            }
            out.add(new ArraySeries(s.labels, Arrays.copyOfRange(s.ts, from, to),
                Arrays.copyOfRange(s.vs, from, to),
                s.hs == null ? null : Arrays.copyOfRange(s.hs, from, to)));
          }
        } finally {
          lock.readLock().unlock();
        }
        if (sorted) {
          out.sort((a, b) -> a.labels().compareTo(b.labels()));
        }
        return SeriesSet.of(out);
      }

      @Override
      public List<String> labelValues(String name, Matcher... matchers) {
        TreeSet<String> values = new TreeSet<>();
        lock.readLock().lock();
        try {
          for (MemSeries s : byRef) {
            if (matchesAll(s.labels, matchers) && s.labels.has(name) && overlaps(s, mint, maxt)) {
              values.add(s.labels.get(name));
            }
          }
        } finally {
          lock.readLock().unlock();
        }
        return new ArrayList<>(values);
      }

      @Override
      public List<String> labelNames(Matcher... matchers) {
        TreeSet<String> names = new TreeSet<>();
        lock.readLock().lock();
        try {
          for (MemSeries s : byRef) {
            if (matchesAll(s.labels, matchers) && overlaps(s, mint, maxt)) {
              for (int i = 0; i < s.labels.size(); i++) {
                names.add(s.labels.name(i));
              }
            }
          }
        } finally {
          lock.readLock().unlock();
        }
        return new ArrayList<>(names);
      }

      @Override
      public void close() {}
    };
  }

  private static boolean overlaps(MemSeries s, long mint, long maxt) {
    return s.n > 0 && s.ts[0] <= maxt && s.ts[s.n - 1] >= mint;
  }

  private static boolean matchesAll(Labels labels, Matcher[] matchers) {
    for (Matcher m : matchers) {
      if (!m.matches(labels.get(m.name()))) {
        return false;
      }
    }
    return true;
  }

  private static int lowerBound(long[] ts, int n, long t) {
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ts[mid] < t) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public void close() {}

  /**
   * A series backed by copies of its arrays, so readers never race with appends; {@code hs} is
   * null or holds the histogram of each histogram sample.
   */
  public record ArraySeries(Labels labels, long[] ts, double[] vs, FloatHistogram[] hs)
      implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      return new ArrayIterator(ts, vs, hs);
    }
  }

  /** Iterates parallel arrays. */
  public static final class ArrayIterator implements SampleIterator {
    private final long[] ts;
    private final double[] vs;
    private final FloatHistogram[] hs;
    private int i = -1;

    public ArrayIterator(long[] ts, double[] vs, FloatHistogram[] hs) {
      this.ts = ts;
      this.vs = vs;
      this.hs = hs;
    }

    private ValueType type() {
      if (i >= ts.length) {
        return ValueType.NONE;
      }
      return hs != null && hs[i] != null ? ValueType.FLOAT_HISTOGRAM : ValueType.FLOAT;
    }

    @Override
    public ValueType next() {
      if (i < ts.length) {
        i++;
      }
      return type();
    }

    @Override
    public ValueType seek(long t) {
      if (i < 0) {
        i = 0;
      }
      while (i < ts.length && ts[i] < t) {
        i++;
      }
      return type();
    }

    @Override
    public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
      if (type() != ValueType.FLOAT_HISTOGRAM) {
        throw new IllegalStateException("not on a histogram sample");
      }
      return hs[i].copy();
    }

    @Override
    public long t() {
      return ts[i];
    }

    @Override
    public double v() {
      return vs[i];
    }
  }
}
