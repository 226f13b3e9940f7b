package dev.tsdb.api.remote;

import dev.tsdb.head.chunkenc.XorAppender;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkQueryable;
import dev.tsdb.index.storage.ChunkSeries;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.Storage;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.MemStorage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference storage plus encoded chunks, as the real database serves them: each series'
 * samples cut into XOR chunks of at most {@code samplesPerChunk}, every chunk overlapping the
 * queried range returned whole.
 */
final class ChunkedMemStorage implements Storage, ChunkQueryable {
  private final MemStorage mem = new MemStorage();
  private final int samplesPerChunk;

  ChunkedMemStorage(int samplesPerChunk) {
    this.samplesPerChunk = samplesPerChunk;
  }

  @Override
  public Appender appender() {
    return mem.appender();
  }

  @Override
  public Querier querier(long mint, long maxt) throws IOException {
    return mem.querier(mint, maxt);
  }

  @Override
  public long minTime() {
    return mem.minTime();
  }

  @Override
  public long maxTime() {
    return mem.maxTime();
  }

  @Override
  public void close() {}

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) throws IOException {
    Querier all = mem.querier(Long.MIN_VALUE, Long.MAX_VALUE);
    return new ChunkQuerier() {
      @Override
      public ChunkSeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        SeriesSet ss = all.select(sorted, hints, matchers);
        List<ChunkSeries> out = new ArrayList<>();
        while (ss.next()) {
          List<ChunkMeta> chunks = new ArrayList<>();
          SampleIterator it = ss.at().iterator(null);
          XorAppender app = null;
          long first = 0;
          while (it.next() == ValueType.FLOAT) {
            if (app == null) {
              app = new XorAppender();
              first = it.t();
            }
            app.append(it.t(), it.v());
            if (app.numSamples() == samplesPerChunk) {
              add(chunks, app, first, mint, maxt);
              app = null;
            }
          }
          if (app != null) {
            add(chunks, app, first, mint, maxt);
          }
          if (!chunks.isEmpty()) {
            var labels = ss.at().labels();
            out.add(new ChunkSeries() {
              @Override
              public dev.tsdb.index.labels.Labels labels() {
                return labels;
              }

              @Override
              public List<ChunkMeta> chunks() {
                return chunks;
              }
            });
          }
        }
        return new ChunkSeriesSet() {
          int i = -1;

          @Override
          public boolean next() {
            return ++i < out.size();
          }

          @Override
          public ChunkSeries at() {
            return out.get(i);
          }
        };
      }

      @Override
      public void close() {
        all.close();
      }
    };
  }

  private static void add(List<ChunkMeta> chunks, XorAppender app, long first, long mint,
      long maxt) {
    long last = app.lastTimestamp();
    if (last < mint || first > maxt) {
      return;
    }
    // A read-only view with a non-zero position, as a mapped block chunk would be.
    byte[] padded = new byte[app.byteLength() + 3];
    System.arraycopy(app.toBytes(), 0, padded, 3, app.byteLength());
    ByteBuffer view = ByteBuffer.wrap(padded, 3, app.byteLength()).slice().asReadOnlyBuffer();
    chunks.add(new ChunkMeta(first, last, (byte) 1, view));
  }
}
