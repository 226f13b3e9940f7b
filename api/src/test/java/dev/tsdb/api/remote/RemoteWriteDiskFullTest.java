package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.head.Head;
import dev.tsdb.head.HeadOptions;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.faults.Fault;
import dev.tsdb.testkit.faults.FaultyFiles;
import dev.tsdb.wal.WalMetrics;
import dev.tsdb.wal.WalOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write into a WAL-backed head whose disk fails: 503 (senders retry), nothing of the
 * failed request stored, and writes succeed again once the disk heals; after a restart (replay)
 * exactly the acknowledged samples are there.
 */
class RemoteWriteDiskFullTest {
  private static final long T0 = 1_000_000L;
  @TempDir Path dir;
  private final FaultyFiles files = new FaultyFiles();
  private final WalMetrics walMetrics = new WalMetrics();
  private RemoteWriteEndpoint endpoint;
  private Head head;

  private void start() throws Exception {
    HeadOptions opts = new HeadOptions();
    opts.clock = () -> T0;
    opts.walOptions = WalOptions.DEFAULT.withMetrics(walMetrics).withFiles(files);
    head = Head.open(dir, opts);
    endpoint = new RemoteWriteEndpoint(new RemoteWriteHandler(head, null,
        new RemoteWriteStats(), 1 << 20, () -> T0));
  }

  @AfterEach
  void stop() throws Exception {
    if (endpoint != null) {
      endpoint.close();
    }
    if (head != null) {
      head.close();
    }
  }

  private int post(int batch) throws Exception {
    List<PromPb.Series> series = new ArrayList<>();
    for (int s = 0; s < 20; s++) {
      series.add(PromPb.Series.of(Labels.of("__name__", "m", "s", "s" + s + "_" + batch % 3),
          new long[] {T0 - 100_000 + batch}, new double[] {batch}));
    }
    return endpoint.postV1(PromPb.writeRequest(series, List.of())).statusCode();
  }

  private int storedSamples() {
    SeriesSet ss = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)
        .select(false, null, Matcher.eq("__name__", "m"));
    int n = 0;
    while (ss.next()) {
      SampleIterator it = ss.at().iterator(null);
      while (it.next() != ValueType.NONE) {
        n++;
      }
    }
    return n;
  }

  @Test
  void aFullDiskIs503WithNothingStoredAndWritesResumeWhenSpaceIsBack() throws Exception {
    start();
    int acknowledged = 0;
    int batch = 0;
    for (; batch < 5; batch++) {
      assertEquals(204, post(batch));
      acknowledged += 20;
    }
    files.failWritesAfter(100, FaultyFiles.named("wal"), Fault.ENOSPC);
    int refused = 0;
    for (int i = 0; i < 5; i++, batch++) {
      int status = post(batch);
      if (status == 204) {
        acknowledged += 20;
      } else {
        assertEquals(503, status);
        refused++;
      }
    }
    assertTrue(refused >= 4, "refused " + refused);
    assertEquals(acknowledged, storedSamples(), "nothing of a refused request is in the head");
    assertTrue(walMetrics.writesFailed.sum() >= refused);
    files.heal();
    for (int i = 0; i < 5; i++, batch++) {
      assertEquals(204, post(batch), "writes succeed again without a restart");
      acknowledged += 20;
    }
    assertEquals(acknowledged, storedSamples());

    endpoint.close();
    endpoint = null;
    head.close();
    start(); // replays the WAL
    assertEquals(acknowledged, storedSamples(), "every acknowledged sample survives a restart");
  }
}
