package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.process.FreePort;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our server forwards to a real Prometheus with {@code remote_write} (its receiver on), through
 * an outage of that receiver and a restart of ours during the outage: floats, native histograms
 * and exemplars written to us arrive, each exactly once (our counters of what was sent match
 * what was written), with the external label added and relabelled series left out; the raw
 * samples Prometheus then holds equal ours.
 */
class ForwardingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SERIES = 4;
  private static final int PER_PHASE = 20;
  private static final int HISTOGRAMS_PER_PHASE = 3;

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({"V3_5, prometheus.WriteRequest", "V3_5, io.prometheus.write.v2.Request",
      "V2_42, prometheus.WriteRequest"})
  void forwardsThroughAnOutageAndOurRestart(PrometheusRelease release, String message)
      throws Exception {
    int rxPort = FreePort.pick();
    // An oauth2 token endpoint: the receiver has no auth and ignores the Bearer token, but the
    // data path runs with the token fetched through the config's oauth2 settings.
    com.sun.net.httpserver.HttpServer tokens = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    java.util.concurrent.atomic.AtomicInteger issued =
        new java.util.concurrent.atomic.AtomicInteger();
    tokens.createContext("/token", ex -> {
      try (ex) {
        byte[] out = ("{\"access_token\":\"t" + issued.incrementAndGet()
            + "\",\"expires_in\":3600}").getBytes();
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
      }
    });
    tokens.start();
    Path rxDir = dir.resolve("rx");
    Path usDir = dir.resolve("us");
    Files.createDirectories(usDir);
    Files.writeString(usDir.resolve("prometheus.yml"), """
        global:
          external_labels: {forwarder: tsdb}
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/write
            name: rx
            send_exemplars: true
            send_native_histograms: true
            protobuf_message: %s
            oauth2:
              client_id: forwarder
              client_secret: s3cret
              token_url: http://127.0.0.1:%d/token
            write_relabel_configs:
              - source_labels: [__name__]
                regex: drop_.*
                action: drop
            queue_config:
              batch_send_deadline: 200ms
              max_samples_per_send: 50
              min_backoff: 50ms
              max_backoff: 500ms
            metadata_config: {send_interval: 1s}
        """.formatted(rxPort, message, tokens.getAddress().getPort()));
    long base = (System.currentTimeMillis() - 600_000) / 1000 * 1000;
    // Both refuse native histograms (3.5 with a 500, which a sender retries) without the flag.
    String[] flags = {"--enable-feature=native-histograms,exemplar-storage"};
    String sent = "prometheus_remote_storage_samples_total";
    String histogramsSent = "prometheus_remote_storage_histograms_total";
    String exemplarsSent = "prometheus_remote_storage_exemplars_total";

    Prometheus rx = Prometheus.in(release, rxDir).port(rxPort).flags(flags).start();
    try {
      TestServer first = new TestServer(usDir);
      try {
        TestServer us = first;
        write(us, base, 0);
        await("phase 0 at the receiver", () -> count(rx, "m0", base) == PER_PHASE);
        await("phase 0 sent", () -> metric(us, sent) == SERIES * PER_PHASE, us);
        assertEquals(HISTOGRAMS_PER_PHASE, metric(us, histogramsSent));
        assertEquals(1, metric(us, exemplarsSent));

        rx.stop(); // the receiver's outage
        write(us, base, 1);
        await("failed attempts", () -> metric(us, "prometheus_remote_storage_samples_retried_total") > 0);
      } finally {
        first.close(); // and our restart during it
      }
      TestServer us = new TestServer(usDir);
      try {
        write(us, base, 2);
        Prometheus back = Prometheus.in(release, rxDir).port(rxPort).flags(flags).start();
        try {
          for (int s = 0; s < SERIES; s++) {
            String name = "m" + s;
            await(name + " complete", () -> count(back, name, base) == 3 * PER_PHASE);
          }
          await("sent after the restart", () -> metric(us, sent) == 2 * SERIES * PER_PHASE);
          assertEquals(2 * HISTOGRAMS_PER_PHASE, metric(us, histogramsSent));
          assertEquals(2, metric(us, exemplarsSent));
          assertEquals(0, metric(us, "prometheus_remote_storage_samples_failed_total"));

          long end = base + 3 * PER_PHASE * 1000L;
          for (String sel : new String[] {"m0", "m3", "h"}) {
            JsonNode theirs = raw(back, sel, end);
            JsonNode ours = raw(us, sel, end);
            assertEquals(1, theirs.size(), sel);
            assertEquals("tsdb", theirs.get(0).get("metric").get("forwarder").asText());
            String field = sel.equals("h") ? "histograms" : "values";
            assertEquals(ours.get(0).get(field), theirs.get(0).get(field), sel);
          }
          assertEquals(0, raw(back, "drop_me", end).size(), "relabelling dropped it");
          JsonNode ex = JSON.readTree(back.get("/api/v1/query_exemplars?query=m0&start="
              + (base / 1000 - 10) + "&end=" + (end / 1000 + 10)).body()).get("data");
          assertEquals(1, ex.size(), ex.toString());
          assertEquals(3, ex.get(0).get("exemplars").size(), ex.toString());
        } finally {
          back.close();
        }
      } finally {
        us.close();
      }
    } finally {
      rx.close();
      tokens.stop(0);
    }
    assertTrue(issued.get() >= 2, "a token per run of our server: " + issued.get());
  }

  /** Phase p: samples of every series, histograms and one exemplar, in one remote write. */
  private static void write(TestServer us, long base, int phase) throws Exception {
    List<PromPb.Series> series = new ArrayList<>();
    for (int s = 0; s < SERIES; s++) {
      long[] ts = new long[PER_PHASE];
      double[] vs = new double[PER_PHASE];
      for (int k = 0; k < PER_PHASE; k++) {
        ts[k] = base + (phase * PER_PHASE + k) * 1000L;
        vs[k] = s * 1000 + phase * PER_PHASE + k + 0.5;
      }
      PromPb.Series ps = PromPb.Series.of(Labels.of("__name__", "m" + s, "job", "it"), ts, vs);
      if (s == 0) {
        ps = ps.withExemplars(List.of(new PromPb.Exemplar(new String[] {"trace_id",
            "t" + phase}, vs[0], ts[0])));
      }
      series.add(ps);
    }
    series.add(PromPb.Series.of(Labels.of("__name__", "drop_me"),
        new long[] {base + phase * 1000L}, new double[] {1}));
    List<PromPb.NativeHistogram> hs = new ArrayList<>();
    for (int k = 0; k < HISTOGRAMS_PER_PHASE; k++) {
      Histogram h = new Histogram();
      h.count = phase * 10L + k + 1;
      h.zeroCount = h.count;
      h.sum = h.count * 0.001;
      h.zeroThreshold = 0.01;
      hs.add(PromPb.NativeHistogram.of(base + (phase * PER_PHASE + k) * 1000L, h));
    }
    series.add(new PromPb.Series(List.<String[]>of(new String[] {"__name__", "h"}),
        new long[0], new double[0], hs, List.of()));
    var resp = us.write(PromPb.writeRequest(series, List.of(
        new PromPb.Metadata(2, "m0", "A gauge.", ""))));
    assertEquals(204, resp.statusCode(), resp.body());
  }

  /** The raw samples of {@code sel} over the hour before {@code end}, as the query API gives them. */
  private static JsonNode raw(Object server, String sel, long end) throws Exception {
    String path = "/api/v1/query?query=" + TestServer.enc(sel + "[1h]") + "&time="
        + (end / 1000.0);
    String body = server instanceof TestServer t ? t.get(path).body()
        : ((Prometheus) server).get(path).body();
    return JSON.readTree(body).get("data").get("result");
  }

  private static int count(Prometheus p, String sel, long base) {
    try {
      JsonNode r = raw(p, sel, base + 3 * PER_PHASE * 1000L);
      return r.size() == 0 ? 0 : r.get(0).get("values").size();
    } catch (Exception e) {
      return -1;
    }
  }

  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{[^}]*remote_name=\"rx\"[^}]*\\} (\\S+)$",
      Pattern.MULTILINE);

  /** A counter of our own queue from /metrics. */
  private static double metric(TestServer us, String name) {
    try {
      Matcher m = SAMPLE.matcher(us.get("/metrics").body());
      double sum = 0;
      while (m.find()) {
        if (m.group(1).equals(name)) {
          sum += Double.parseDouble(m.group(2));
        }
      }
      return sum;
    } catch (Exception e) {
      return -1;
    }
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    await(what, cond, null);
  }

  /** Waits up to a minute; on failure shows our remote-storage metrics when {@code us} is given. */
  private static void await(String what, BooleanSupplier cond, TestServer us)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > end) {
        String detail = "";
        if (us != null) {
          try {
            detail = "\n" + us.get("/metrics").body().lines()
                .filter(l -> l.startsWith("prometheus_remote_storage")).reduce("",
                    (a, b) -> a + b + "\n");
          } catch (Exception e) {
            detail = e.toString();
          }
        }
        throw new AssertionError("timed out waiting for " + what + detail);
      }
      Thread.sleep(200);
    }
  }
}
