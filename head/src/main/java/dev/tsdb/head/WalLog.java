package dev.tsdb.head;

import dev.tsdb.labels.Labels;
import dev.tsdb.wal.Wal;
import dev.tsdb.wal.record.RecordBuffer;
import dev.tsdb.wal.record.RecordEncoder;
import dev.tsdb.wal.record.SeriesBatch;
import java.io.IOException;

/**
 * The head's commit hook backed by a Prometheus-format {@link Wal}: a Series record for new
 * series, then a Samples record, then one write to the OS per commit (and an fsync when
 * configured). Calls come from the head's commit lock, one commit at a time.
 */
public final class WalLog implements HeadWal {
  private final Wal wal;
  private final boolean syncPerCommit;
  private RecordBuffer buf = new RecordBuffer(1 << 16);
  private final SeriesBatch series = new SeriesBatch(64);

  public WalLog(Wal wal, boolean syncPerCommit) {
    this.wal = wal;
    this.syncPerCommit = syncPerCommit;
  }

  public Wal wal() {
    return wal;
  }

  @Override
  public void logSeries(long[] refs, Labels[] labels, int n) throws IOException {
    series.clear();
    for (int i = 0; i < n; i++) {
      series.add(refs[i], labels[i]);
    }
    RecordEncoder.series(series, buf);
    series.clear();
    wal.append(buf);
  }

  @Override
  public void logSamples(long[] refs, long[] ts, double[] vs, int n) throws IOException {
    RecordEncoder.samples(refs, ts, vs, 0, n, buf);
    wal.append(buf);
  }

  @Override
  public void flush() throws IOException {
    if (syncPerCommit) {
      wal.sync();
    } else {
      wal.flush();
    }
    if (buf.array().length > 1 << 22) {
      buf = new RecordBuffer(1 << 16); // a huge commit must not pin its buffer forever
    }
  }

  @Override
  public void sync() throws IOException {
    wal.sync();
  }

  @Override
  public void close() throws IOException {
    wal.close();
  }
}
