package dev.tsdb.db;

import dev.tsdb.blocks.Intervals;
import dev.tsdb.head.Head;
import dev.tsdb.head.HeadOptions;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.labels.Labels;
import dev.tsdb.labels.Matcher;
import dev.tsdb.storage.Appender;
import dev.tsdb.storage.ChunkMeta;
import dev.tsdb.storage.ChunkQuerier;
import dev.tsdb.storage.ChunkSeries;
import dev.tsdb.storage.ChunkSeriesSet;
import dev.tsdb.storage.Querier;
import dev.tsdb.storage.SampleIterator;
import dev.tsdb.storage.SelectHints;
import dev.tsdb.storage.Series;
import dev.tsdb.storage.SeriesSet;
import dev.tsdb.storage.ValueType;
import dev.tsdb.wal.WalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Presents {@link Head} as a {@link DbHead}, filling in what the head does not offer yet:
 * <ul>
 *   <li>series sorted in Go's byte order for merging;
 *   <li>a chunk view (samples re-encoded into XOR chunks);
 *   <li>deletion: tombstones kept here per series and applied to every read, dropped once
 *       truncation passes them (not yet logged to the WAL, so a restart forgets them).
 * </ul>
 */
final class HeadAdapter implements DbHead {
  private final Head head;
  private final Path walDir; // null: no WAL
  private volatile Map<Labels, Intervals> tombstones = Map.of();

  HeadAdapter(Head head, Path walDir) {
    this.head = head;
    this.walDir = walDir;
  }

  private static HeadOptions headOptions(DbOptions opts) {
    WalOptions wo = WalOptions.DEFAULT;
    if (opts.walSegmentSizeBytes > 0) {
      wo = wo.withSegmentSize(opts.walSegmentSizeBytes);
    }
    if (opts.walCompression) {
      wo = wo.withCompression(WalOptions.Compression.SNAPPY);
    }
    return new HeadOptions()
        .chunkRangeMs(opts.minBlockDurationMs)
        .outOfOrderTimeWindowMs(opts.outOfOrderTimeWindowMs)
        .maxFutureMs(opts.maxFutureMs)
        .clock(opts.clock)
        .walOptions(wo)
        .walSyncPerCommit(opts.walSyncPerCommit);
  }

  static HeadAdapter inMemory(DbOptions opts) {
    return new HeadAdapter(new Head(headOptions(opts)), null);
  }

  /** Opens the head of {@code dataDir}, replaying {@code dataDir/wal}. */
  static HeadAdapter open(Path dataDir, DbOptions opts) throws IOException {
    if (!opts.walEnabled) {
      return inMemory(opts);
    }
    return new HeadAdapter(Head.open(dataDir, headOptions(opts)), dataDir.resolve("wal"));
  }

  Head head() {
    return head;
  }

  @Override
  public Appender appender() {
    return head.appender();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return new View(head.querier(mint, maxt), tombstones);
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    Querier q = querier(mint, maxt);
    return new ChunkQuerier() {
      @Override
      public ChunkSeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        long lo = mint;
        long hi = maxt;
        if (hints != null && !(hints.start() == 0 && hints.end() == 0)) {
          lo = Math.max(lo, hints.start());
          hi = Math.min(hi, hints.end());
        }
        return chunked(q.select(sorted, hints, matchers), lo, hi);
      }

      @Override
      public void close() {
        q.close();
      }
    };
  }

  private record ChunkedSeries(Labels labels, List<ChunkMeta> chunks) implements ChunkSeries {}

  private static ChunkSeriesSet chunked(SeriesSet set, long mint, long maxt) {
    return new ChunkSeriesSet() {
      private ChunkSeries cur;
      private SampleIterator it;
      private Exception err;

      @Override
      public boolean next() {
        while (set.next()) {
          Series s = set.at();
          it = s.iterator(it);
          List<ChunkMeta> chunks = new ArrayList<>();
          QuerierBlockWriter.encode(it, mint, maxt, chunks);
          if (it.error() != null) {
            err = it.error();
            return false;
          }
          if (!chunks.isEmpty()) {
            cur = new ChunkedSeries(s.labels(), chunks);
            return true;
          }
        }
        err = set.error();
        return false;
      }

      @Override
      public ChunkSeries at() {
        return cur;
      }

      @Override
      public Exception error() {
        return err;
      }
    };
  }

  @Override
  public synchronized void delete(long mint, long maxt, Matcher... matchers) {
    List<Labels> hit = new ArrayList<>();
    try (Querier q = head.querier(mint, maxt)) {
      SeriesSet set = q.select(false, null, matchers);
      while (set.next()) {
        hit.add(set.at().labels());
      }
    }
    if (hit.isEmpty()) {
      return;
    }
    Map<Labels, Intervals> m = new HashMap<>(tombstones);
    for (Labels l : hit) {
      m.merge(l, Intervals.of(mint, maxt), Intervals::addAll);
    }
    tombstones = Map.copyOf(m);
  }

  /** Number of series with head tombstones (for tests). */
  int tombstonedSeries() {
    return tombstones.size();
  }

  @Override
  public synchronized void truncateBefore(long mint) throws IOException {
    head.truncateBefore(mint);
    head.truncateWal(mint);
    if (tombstones.isEmpty()) {
      return;
    }
    // Intervals entirely before the new head start no longer cover anything in the head.
    Map<Labels, Intervals> m = new HashMap<>();
    tombstones.forEach((l, iv) -> {
      Intervals kept = Intervals.EMPTY;
      for (int i = 0; i < iv.size(); i++) {
        if (iv.maxt(i) >= mint) {
          kept = kept.add(iv.mint(i), iv.maxt(i));
        }
      }
      if (!kept.isEmpty()) {
        m.put(l, kept);
      }
    });
    tombstones = Map.copyOf(m);
  }

  @Override
  public int numSeries() {
    return head.numSeries();
  }

  @Override
  public void forEachSeries(java.util.function.Consumer<Labels> action) {
    head.forEachSeries((l, id) -> action.accept(l));
  }

  @Override
  public long numChunks() {
    return -1; // TODO(head): the head does not count its live chunks yet
  }

  @Override
  public long diskBytes() {
    if (walDir == null) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(walDir)) {
      return s.mapToLong(p -> p.toFile().isFile() ? p.toFile().length() : 0).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // a segment deleted while walking: sizes are best effort
    }
  }

  @Override
  public double replayProgress() {
    return 1;
  }

  @Override
  public long minTime() {
    return head.minTime();
  }

  @Override
  public long maxTime() {
    return head.maxTime();
  }

  @Override
  public void close() throws IOException {
    head.close();
  }

  /** The head querier with byte-order sorting and the tombstones applied. */
  private static final class View implements Querier {
    private final Querier q;
    private final Map<Labels, Intervals> deleted;

    View(Querier q, Map<Labels, Intervals> deleted) {
      this.q = q;
      this.deleted = deleted;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
      SeriesSet set = q.select(sorted, hints, matchers);
      if (!sorted && deleted.isEmpty()) {
        return set;
      }
      List<Series> out = new ArrayList<>();
      while (set.next()) {
        Series s = set.at();
        Intervals iv = deleted.isEmpty() ? null : deleted.get(s.labels());
        out.add(iv == null ? s : new Deleted(s, iv));
      }
      if (set.error() != null) {
        return errorSet(set.error());
      }
      if (sorted) {
        out.sort((a, b) -> Utf8Order.compare(a.labels(), b.labels()));
      }
      return SeriesSet.of(out);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) {
      return q.labelValues(name, matchers);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) {
      return q.labelNames(matchers);
    }

    @Override
    public void close() {
      q.close();
    }
  }

  static SeriesSet errorSet(Exception e) {
    return new SeriesSet() {
      @Override
      public boolean next() {
        return false;
      }

      @Override
      public Series at() {
        throw new IllegalStateException();
      }

      @Override
      public Exception error() {
        return e;
      }
    };
  }

  /** A series with deleted intervals skipped. */
  private record Deleted(Series inner, Intervals deleted) implements Series {
    @Override
    public Labels labels() {
      return inner.labels();
    }

    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      SampleIterator in = inner.iterator(null);
      return new SampleIterator() {
        @Override
        public ValueType next() {
          ValueType vt;
          while ((vt = in.next()) != ValueType.NONE && deleted.contains(in.t())) {
            // skip deleted samples
          }
          return vt;
        }

        @Override
        public ValueType seek(long t) {
          ValueType vt = in.seek(t);
          while (vt != ValueType.NONE && deleted.contains(in.t())) {
            vt = in.next();
          }
          return vt;
        }

        @Override
        public long t() {
          return in.t();
        }

        @Override
        public double v() {
          return in.v();
        }

        @Override
        public Exception error() {
          return in.error();
        }
      };
    }
  }
}
