package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.wal.WalOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadMetadataTest {
  static final MetricMetadata HIST = new MetricMetadata("histogram", "Request latency.", "seconds");
  static final MetricMetadata HIST2 = new MetricMetadata("histogram", "Latency of requests.", "seconds");
  static final MetricMetadata GAUGE = new MetricMetadata("gauge", "Temperature.", "");
  @TempDir
  Path dir;

  private static HeadOptions opts() {
    return new HeadOptions().clock(() -> Long.MAX_VALUE / 2);
  }

  private static Labels family(String name) {
    return Labels.of("__name__", name);
  }

  @Test
  void familyMetadataAppliesToSuffixedSeriesLatestWinsAndSurvivesRestart() throws Exception {
    Labels bucket = Labels.of("__name__", "http_latency_bucket", "le", "1");
    Labels sum = Labels.of("__name__", "http_latency_sum");
    Labels temp = Labels.of("__name__", "temp", "room", "a");
    try (Head h = Head.open(dir, opts())) {
      Appender app = h.appender();
      app.append(0, bucket, 1000, 1);
      app.append(0, sum, 1000, 1);
      long rt = app.append(0, temp, 1000, 20);
      app.commit();
      app.updateMetadata(0, family("http_latency"), HIST);
      app.updateMetadata(rt, temp, GAUGE); // per series (remote write 2.0)
      app.commit();
      assertEquals(HIST, h.seriesMetadata(bucket));
      assertEquals(HIST, h.seriesMetadata(sum));
      app.updateMetadata(0, family("http_latency"), HIST2); // latest wins
      app.commit();
      // A series created later inherits its family's metadata.
      Labels count = Labels.of("__name__", "http_latency_count");
      app.append(0, count, 2000, 3);
      app.commit();
      assertEquals(HIST2, h.seriesMetadata(count));
      assertEquals(Map.of("http_latency", List.of(HIST2), "temp", List.of(GAUGE)),
          h.metricMetadata(null, 0, 0));
    }
    try (Head h = Head.open(dir, opts())) {
      assertEquals(HIST2, h.seriesMetadata(Labels.of("__name__", "http_latency_count")));
      assertEquals(Map.of("http_latency", List.of(HIST2), "temp", List.of(GAUGE)),
          h.metricMetadata(null, 0, 0));
      assertEquals(Map.of("temp", List.of(GAUGE)), h.metricMetadata("temp", 0, 0));
      assertEquals(1, h.metricMetadata(null, 1, 0).size());
    }
  }

  @Test
  void checkpointKeepsLatestMetadataOfLiveSeries() throws Exception {
    HeadOptions o = opts().walOptions(WalOptions.DEFAULT.withSegmentSize(64 * 1024));
    Labels temp = Labels.of("__name__", "temp", "room", "a");
    try (Head h = Head.open(dir, o)) {
      Appender app = h.appender();
      long ref = app.append(0, temp, 0, 1);
      app.updateMetadata(ref, temp, new MetricMetadata("gauge", "old", ""));
      app.commit();
      app.updateMetadata(ref, temp, GAUGE);
      app.commit();
      for (int k = 1; k < 4000; k++) {
        for (int i = 0; i < 20; i++) {
          app.append(0, Labels.of("__name__", "fill", "i", "" + i), k, k);
        }
        app.append(ref, temp, k, k);
        app.commit();
      }
      h.truncateBefore(10);
      h.truncateWal(10);
    }
    try (Head h = Head.open(dir, o)) {
      assertEquals(GAUGE, h.seriesMetadata(temp));
      assertNull(h.seriesMetadata(Labels.of("__name__", "fill", "i", "0")));
    }
  }
}
