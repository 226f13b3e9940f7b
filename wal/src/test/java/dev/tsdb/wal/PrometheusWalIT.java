package dev.tsdb.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.process.FreePort;
import dev.tsdb.testkit.process.HttpEndpoint;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.HistogramRecordFilter;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.wal.record.RecordDecoder;
import dev.tsdb.wal.record.RecordEncoder;
import dev.tsdb.wal.record.RecordType;
import dev.tsdb.wal.record.SampleBatch;
import dev.tsdb.wal.record.SeriesBatch;
import dev.tsdb.wal.record.TombstoneBatch;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interop with the real Prometheus (2.42 and 3.5): we read the WAL it writes (snappy-compressed
 * by default, and uncompressed), and it replays a WAL and checkpoint we write.
 */
class PrometheusWalIT {
  @TempDir Path tmp;

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void readsCompressedWalWrittenByPrometheus(PrometheusRelease release) throws Exception {
    Path wal = runPrometheusScrapingItself(release, tmp.resolve("data"));
    byte[] seg0 = Files.readAllBytes(WalFormat.segmentPath(wal, 0));
    assertEquals(WalFormat.SNAPPY_FLAG, seg0[0] & WalFormat.SNAPPY_FLAG, "expected a snappy record first");
    assertDecodes(wal);
  }

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void readsUncompressedWalWrittenByPrometheus(PrometheusRelease release) throws Exception {
    Path wal = runPrometheusScrapingItself(release, tmp.resolve("data"),
        "--no-storage.tsdb.wal-compression");
    byte[] seg0 = Files.readAllBytes(WalFormat.segmentPath(wal, 0));
    assertEquals(0, seg0[0] & (WalFormat.SNAPPY_FLAG | WalFormat.ZSTD_FLAG), "first fragment compressed");
    assertTrue(seg0[0] == WalFormat.TYPE_FULL || seg0[0] == WalFormat.TYPE_FIRST, "type " + seg0[0]);
    assertDecodes(wal);
  }

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void prometheusReplaysOurWalAndCheckpoint(PrometheusRelease release) throws Exception {
    Path data = tmp.resolve("data");
    Path walDir = data.resolve("wal");
    int seriesCount = 20;
    int samplesPerSeries = 120;
    long end = System.currentTimeMillis() / 1000 * 1000 - 5_000;
    long start = end - (samplesPerSeries - 1) * 1000L;

    EncodeBuffer buf = new EncodeBuffer();
    SeriesBatch series = new SeriesBatch();
    for (int s = 0; s < seriesCount; s++) {
      series.add(s + 1, Labels.of("__name__", "tsdb_wal_it_metric", "job", "ours", "i", Integer.toString(s)));
    }
    // A series that the checkpoint drops (keep predicate) together with its samples' relevance.
    series.add(1000, Labels.of("__name__", "tsdb_wal_it_dropped", "job", "ours"));
    try (Wal wal = Wal.open(walDir, new WalOptions(WalFormat.DEFAULT_SEGMENT_SIZE, WalOptions.Compression.SNAPPY))) {
      RecordEncoder.series(series, buf);
      wal.log(buf);
      // Every other record type we write must be accepted too.
      MetadataBatch meta = new MetadataBatch();
      meta.add(1, MetadataBatch.GAUGE, "seconds", "A test gauge.");
      RecordEncoder.metadata(meta, buf);
      wal.log(buf);
      ExemplarBatch ex = new ExemplarBatch();
      ex.add(2, start, 0.5, Labels.of("trace_id", "abc123"));
      RecordEncoder.exemplars(ex, buf);
      wal.log(buf);
      TombstoneBatch ts = new TombstoneBatch();
      ts.add(1000, Long.MIN_VALUE, Long.MAX_VALUE);
      RecordEncoder.tombstones(ts, buf);
      wal.log(buf);
      SampleBatch samples = new SampleBatch();
      for (int j = 0; j < samplesPerSeries; j++) {
        samples.clear();
        for (int s = 0; s < seriesCount; s++) {
          samples.add(s + 1, start + j * 1000L, s * 1000 + j);
        }
        RecordEncoder.samples(samples, buf);
        wal.log(buf);
        if (j == 40 || j == 80) {
          wal.nextSegment(); // samples spread over segments 0, 1, 2
        }
      }
      // Checkpoint segments 0..1, then truncate them, as the head will.
      CheckpointStats stats = Checkpoint.create(wal, 0, 1, ref -> ref < 1000, Long.MIN_VALUE);
      assertEquals(1, stats.droppedSeries);
      wal.truncate(2);
      Checkpoint.deleteOlder(walDir, 1);
    }
    assertEquals(new SegmentRange(2, 2), Segments.range(walDir));
    assertTrue(Files.isDirectory(Checkpoint.dirFor(walDir, 1)));

    String logText;
    try (Prometheus p = Prometheus.in(release, tmp).data(data)
        .config("global:\n  scrape_interval: 1h\nscrape_configs: []\n").start()) {
      String tSec = String.valueOf(end / 1000);
      String count = query(p, "sum(count_over_time(tsdb_wal_it_metric[10m]))", tSec);
      assertEquals(String.valueOf(seriesCount * samplesPerSeries), scalar(count), count);
      String last = query(p, "tsdb_wal_it_metric{i=\"7\"}", tSec);
      assertEquals(String.valueOf(7 * 1000 + samplesPerSeries - 1), scalar(last), last);
      String dropped = query(p, "count(tsdb_wal_it_dropped)", tSec);
      assertTrue(dropped.contains("\"result\":[]"), dropped);
      p.stop();
      logText = p.logText();
    }
    assertFalse(logText.toLowerCase().contains("corruption"), logText);
    assertFalse(logText.toLowerCase().contains("level=error"), logText); // 3.x: level=ERROR
  }

  // ---- helpers -------------------------------------------------------------------------------

  private Path runPrometheusScrapingItself(PrometheusRelease release, Path data,
      String... extraFlags) throws Exception {
    int port = FreePort.pick();
    String config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n"
        + "scrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ['127.0.0.1:"
        + port + "']\n";
    try (Prometheus p = Prometheus.in(release, tmp).data(data).config(config).port(port)
        .flags(extraFlags).start()) {
      // The first scrape waits for service discovery's ~5s update throttle; then let a few
      // 1s scrapes land in the WAL.
      Path seg0 = WalFormat.segmentPath(data.resolve("wal"), 0);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (Files.size(seg0) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertTrue(Files.size(seg0) > 0, "prometheus wrote nothing: " + p.logText());
      Thread.sleep(3_500);
      p.kill(); // SIGKILL: leave the WAL exactly as a crash would
    }
    return data.resolve("wal");
  }

  private static void assertDecodes(Path wal) throws IOException {
    RecordDecoder dec = new RecordDecoder();
    SeriesBatch series = new SeriesBatch();
    SampleBatch samples = new SampleBatch();
    TombstoneBatch tombstones = new TombstoneBatch();
    ExemplarBatch exemplars = new ExemplarBatch();
    MetadataBatch metadata = new MetadataBatch();
    HistogramRecordFilter histograms = new HistogramRecordFilter();
    Map<Long, Labels> byRef = new HashMap<>();
    long sampleCount = 0;
    long upSamples = 0;
    Map<Byte, Integer> types = new HashMap<>();
    List<String> problems = new ArrayList<>();
    try (WalReader r = WalReader.open(wal)) {
      while (r.next()) {
        byte[] rec = r.record();
        int len = r.recordLength();
        byte type = RecordType.of(rec, len);
        types.merge(type, 1, Integer::sum);
        switch (type) {
          case RecordType.SERIES:
            dec.series(rec, len, series);
            for (int i = 0; i < series.size; i++) {
              byRef.put(series.refs[i], series.labels[i]);
            }
            break;
          case RecordType.SAMPLES:
            dec.samples(rec, len, samples);
            for (int i = 0; i < samples.size; i++) {
              Labels l = byRef.get(samples.refs[i]);
              if (l == null) {
                problems.add("sample for unknown ref " + samples.refs[i]);
              } else if (l.metricName().equals("up")) {
                upSamples++;
                assertEquals(1.0, samples.vs[i], "up");
              }
            }
            sampleCount += samples.size;
            break;
          case RecordType.TOMBSTONES:
            dec.tombstones(rec, len, tombstones);
            break;
          case RecordType.EXEMPLARS:
            dec.exemplars(rec, len, exemplars);
            break;
          case RecordType.METADATA:
            dec.metadata(rec, len, metadata);
            break;
          case RecordType.HISTOGRAM_SAMPLES:
          case RecordType.FLOAT_HISTOGRAM_SAMPLES:
            histograms.count(rec, len);
            break;
          default:
            problems.add("unexpected record type " + type);
        }
      }
    }
    assertTrue(problems.isEmpty(), problems.toString());

    // The startup path the head uses: replay with the dispatcher sees the same data.
    long[] replayed = new long[2];
    RecordDispatcher d = new RecordDispatcher(new RecordDispatcher.Sink() {
      @Override
      public void series(SeriesBatch b) {
        replayed[0] += b.size;
      }

      @Override
      public void samples(SampleBatch b) {
        replayed[1] += b.size;
      }
    });
    WalReplay.Result result = WalReplay.replay(wal, d);
    assertFalse(result.repaired(), String.valueOf(result.corruption()));
    assertEquals(byRef.size(), replayed[0]);
    assertEquals(sampleCount, replayed[1]);
    assertEquals(0, d.skippedOtherRecords());
    assertTrue(byRef.size() > 50, "series " + byRef.size());
    assertTrue(sampleCount > byRef.size(), "samples " + sampleCount + " types " + types);
    assertTrue(upSamples >= 2, "up samples " + upSamples);
    assertTrue(byRef.containsValue(Labels.of("__name__", "up", "instance", byRef.values().stream()
        .filter(l -> l.metricName().equals("up")).findFirst().orElseThrow().get("instance"), "job", "self")));
  }

  private static String query(Prometheus p, String q, String time) throws Exception {
    HttpResponse<String> r = p.get("/api/v1/query?query=" + HttpEndpoint.enc(q) + "&time=" + time);
    assertEquals(200, r.statusCode(), r.body());
    return r.body();
  }

  /** The value string of a one-element vector result. */
  private static String scalar(String body) {
    Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(body);
    assertTrue(m.find(), body);
    return m.group(1);
  }
}
