package dev.tsdb.server.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.db.Database;
import dev.tsdb.blocks.db.DbOptions;
import dev.tsdb.index.histogram.Histogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.rules.config.RemoteWriteConfig;
import dev.tsdb.rules.relabel.RelabelConfig;
import dev.tsdb.wal.WalRetention;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder against a real receiver on loopback: our Database's WAL is tailed and what it
 * logs arrives at the stub, through failures, restarts, resharding and reloads.
 */
class ForwarderTest {
  private static final RemoteWriteForwarder.Options FAST =
      new RemoteWriteForwarder.Options(20, 300, 5_000);

  @TempDir Path dir;
  private Database db;
  private StubReceiver rx;
  private SimpleMeterRegistry registry;
  private RemoteWriteForwarder fwd;
  private long t0;

  @BeforeEach
  void setUp() throws Exception {
    db = Database.open(dir, new DbOptions().compactionIntervalMs(0).retentionTimeMs(0)
        .maxFutureMs(Long.MAX_VALUE / 4));
    rx = new StubReceiver();
    registry = new SimpleMeterRegistry();
    t0 = System.currentTimeMillis();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (fwd != null) {
      fwd.close();
    }
    rx.close();
    db.close();
  }

  private RemoteWriteForwarder forwarder() {
    return new RemoteWriteForwarder(dir, registry, FAST);
  }

  private static RemoteWriteConfig.QueueConfig queue(int minShards, int maxShards, int perSend,
      long deadlineMs, boolean retry429) {
    return new RemoteWriteConfig.QueueConfig(10_000, maxShards, minShards, perSend, deadlineMs,
        5, 50, retry429, 0);
  }

  private RemoteWriteConfig config(String name) {
    return new RemoteWriteConfig(rx.url(), name, 5_000, Map.of("X-Test", "yes"), List.of(),
        true, true, RemoteWriteConfig.PROTO_V1, null, null, null, null,
        queue(1, 1, 100, 50, false), RemoteWriteConfig.MetadataConfig.DEFAULT);
  }

  /** Appends {@code n} samples to each of {@code series} series, from index {@code from}. */
  private void append(int series, int from, int n) throws Exception {
    Appender a = db.appender();
    for (int i = from; i < from + n; i++) {
      for (int s = 0; s < series; s++) {
        a.append(0, Labels.of("__name__", "m", "s", String.valueOf(s)), t0 + i * 1000L, i);
      }
    }
    a.commit();
  }

  private static void await(String what, BooleanSupplier cond) throws InterruptedException {
    dev.tsdb.testkit.Await.until(what, java.time.Duration.ofSeconds(20), cond);
  }

  private double counter(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private double gauge(String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    return g == null ? Double.NaN : g.value();
  }

  /** Each series' samples arrived once, in time order; returns how many arrived. */
  private int assertOnceInOrder() {
    Map<String, Long> last = new HashMap<>();
    Set<String> seen = new HashSet<>();
    List<StubReceiver.Sample> got;
    synchronized (rx.samples) {
      got = new ArrayList<>(rx.samples);
    }
    for (StubReceiver.Sample s : got) {
      assertTrue(seen.add(s.series() + "@" + s.t()), "duplicate " + s);
      Long prev = last.put(s.series(), s.t());
      assertTrue(prev == null || prev < s.t(), "out of order " + s);
    }
    return got.size();
  }

  @Test
  void forwardsSamplesHistogramsExemplarsWithExternalLabelsAndRelabelling() throws Exception {
    RelabelConfig drop = RelabelConfig.of(List.of("__name__"), null, "dropped_.*", null, null,
        null, "drop");
    RemoteWriteConfig c = config("main");
    c = new RemoteWriteConfig(c.url(), c.name(), c.remoteTimeoutMs(), c.headers(),
        List.of(drop), true, true, c.protobufMessage(), null, null, null, null, c.queue(),
        c.metadata());
    fwd = forwarder();
    fwd.apply(List.of(c), Labels.of("cluster", "a", "s", "external-loses"));
    Appender a = db.appender();
    long ref = a.append(0, Labels.of("__name__", "up", "s", "1"), t0, 1);
    a.append(0, Labels.of("__name__", "dropped_metric"), t0, 2);
    a.appendExemplar(ref, Labels.of("__name__", "up", "s", "1"),
        new Exemplar(Labels.of("trace_id", "abc"), 1, t0));
    Histogram h = new Histogram();
    h.count = 3;
    h.zeroCount = 3;
    a.appendHistogram(0, Labels.of("__name__", "hist"), t0, h, null);
    a.commit();
    await("all kinds", () -> rx.samples.size() == 1 && rx.histograms.size() == 1
        && rx.exemplars.size() == 1);
    assertEquals("{__name__=\"up\", cluster=\"a\", s=\"1\"}", rx.samples.get(0).series());
    // The external label "s" only where the series has none.
    assertEquals("{__name__=\"hist\", cluster=\"a\", s=\"external-loses\"}",
        rx.histograms.get(0).series());
    assertEquals(3, rx.histograms.get(0).h().count);
    assertEquals("{trace_id=\"abc\"}", rx.exemplars.get(0).labels());
    Map<String, List<String>> hdr = rx.requestHeaders.get(0);
    assertEquals(List.of("snappy"), hdr.get("Content-encoding"));
    assertEquals(List.of("0.1.0"), hdr.get("X-prometheus-remote-write-version"));
    assertEquals(List.of("yes"), hdr.get("X-test"));
    String[] tags = {"remote_name", "main", "url", rx.url()};
    await("counters", () -> counter("prometheus_remote_storage_samples_total", tags) == 1);
    assertEquals(1, counter("prometheus_remote_storage_histograms_total", tags));
    assertEquals(1, counter("prometheus_remote_storage_exemplars_total", tags));
    assertEquals(1, counter("prometheus_remote_storage_samples_dropped_total", "remote_name",
        "main", "reason", "dropped_series"));
    assertTrue(counter("prometheus_remote_storage_bytes_total", tags) > 0);
    assertEquals(t0 / 1000.0,
        gauge("prometheus_remote_storage_queue_highest_sent_timestamp_seconds", tags));
    assertEquals(t0 / 1000.0, gauge("prometheus_remote_storage_highest_timestamp_in_seconds"));
    assertEquals(1, gauge("prometheus_remote_storage_shards", tags));
  }

  @Test
  void sendsMetadataWithEachSeriesIn2point0() throws Exception {
    RemoteWriteConfig c = config("v2");
    c = new RemoteWriteConfig(c.url(), c.name(), c.remoteTimeoutMs(), c.headers(), List.of(),
        false, false, RemoteWriteConfig.PROTO_V2, null, null, null, null, c.queue(),
        c.metadata());
    fwd = forwarder();
    fwd.apply(List.of(c), Labels.EMPTY);
    Appender a = db.appender();
    Labels l = Labels.of("__name__", "requests_total");
    long ref = a.append(0, l, t0, 5);
    a.updateMetadata(ref, l, new MetricMetadata("counter", "Requests.", ""));
    a.commit();
    await("v2 sample", () -> rx.samples.size() == 1);
    await("metadata", () -> rx.metadata.containsKey("requests_total"));
    assertEquals("counter", rx.metadata.get("requests_total").type());
    assertEquals("Requests.", rx.metadata.get("requests_total").help());
    assertEquals(List.of("2.0.0"),
        rx.requestHeaders.get(0).get("X-prometheus-remote-write-version"));
  }

  @Test
  void sendsCredentials() throws Exception {
    RemoteWriteConfig c = config("auth");
    RemoteWriteConfig basic = new RemoteWriteConfig(c.url(), "basic", 5_000, Map.of(),
        List.of(), false, false, RemoteWriteConfig.PROTO_V1,
        new dev.tsdb.rules.config.BasicAuth("user", "pw", null), null, null, null, c.queue(),
        c.metadata());
    fwd = forwarder();
    fwd.apply(List.of(basic), Labels.EMPTY);
    append(1, 0, 1);
    await("a request", () -> rx.samples.size() == 1);
    assertEquals(List.of("Basic dXNlcjpwdw=="), rx.requestHeaders.get(0).get("Authorization"));
    fwd.close();
    RemoteWriteConfig bearer = new RemoteWriteConfig(c.url(), "bearer", 5_000, Map.of(),
        List.of(), false, false, RemoteWriteConfig.PROTO_V1, null,
        new dev.tsdb.rules.config.Authorization("Bearer", "tok", null), null, null, c.queue(),
        c.metadata());
    fwd = forwarder();
    fwd.apply(List.of(bearer), Labels.EMPTY);
    append(1, 1, 1);
    await("another request", () -> rx.samples.size() == 2);
    assertEquals(List.of("Bearer tok"),
        rx.requestHeaders.get(rx.requestHeaders.size() - 1).get("Authorization"));
  }

  /**
   * oauth2: the token from a loopback endpoint is sent as Bearer; a receiver that refuses it
   * (401) makes the batch fail, not retry, as any 4xx.
   */
  @Test
  void sendsOAuth2Token() throws Exception {
    com.sun.net.httpserver.HttpServer tokens = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    java.util.concurrent.atomic.AtomicInteger issued = new java.util.concurrent.atomic.AtomicInteger();
    tokens.createContext("/token", ex -> {
      try (ex) {
        byte[] out = ("{\"access_token\":\"tok" + issued.incrementAndGet()
            + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}").getBytes();
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
      }
    });
    tokens.start();
    try {
      rx.status = () -> {
        var h = rx.requestHeaders.get(rx.requestHeaders.size() - 1).get("Authorization");
        return List.of("Bearer tok1").equals(h) ? 204 : 401;
      };
      RemoteWriteConfig c = config("oauth");
      c = new RemoteWriteConfig(c.url(), c.name(), 5_000, Map.of(), List.of(), false, false,
          RemoteWriteConfig.PROTO_V1, null, null, null, null, c.queue(), c.metadata(),
          new dev.tsdb.rules.config.OAuth2Config("id", "secret", null, List.of(),
              "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token", Map.of(), null,
              null));
      fwd = forwarder();
      fwd.apply(List.of(c), Labels.EMPTY);
      append(1, 0, 1);
      await("a request", () -> rx.samples.size() == 1);
      append(1, 1, 1);
      await("another request", () -> rx.samples.size() == 2);
      assertEquals(1, issued.get(), "the token is cached");
      assertEquals(0, counter("prometheus_remote_storage_samples_failed_total",
          "remote_name", "oauth"));
    } finally {
      tokens.stop(0);
    }
  }

  @Test
  void sendsMetadataEveryIntervalIn1point0() throws Exception {
    RemoteWriteConfig c = config("md");
    c = new RemoteWriteConfig(c.url(), c.name(), c.remoteTimeoutMs(), c.headers(), List.of(),
        false, false, RemoteWriteConfig.PROTO_V1, null, null, null, null, c.queue(),
        new RemoteWriteConfig.MetadataConfig(true, 200, 10));
    fwd = forwarder();
    fwd.apply(List.of(c), Labels.EMPTY);
    Appender a = db.appender();
    Labels l = Labels.of("__name__", "temperature_celsius");
    long ref = a.append(0, l, t0, 21);
    a.updateMetadata(ref, l, new MetricMetadata("gauge", "Temperature.", "celsius"));
    a.commit();
    await("metadata", () -> rx.metadata.containsKey("temperature_celsius"));
    assertEquals(new MetricMetadata("gauge", "Temperature.", "celsius"),
        rx.metadata.get("temperature_celsius"));
    await("counted", () -> counter("prometheus_remote_storage_metadata_total", "remote_name",
        "md") >= 1);
  }

  /**
   * Pending per kind while the receiver fails, then the send durations, retries on a full
   * shard and the watcher's records, as Prometheus 3.5 exposes them.
   */
  @Test
  void pendingPerKindAndSendMetrics() throws Exception {
    rx.status = () -> 503;
    RemoteWriteConfig c = config("pk").withQueue(new RemoteWriteConfig.QueueConfig(4, 1, 1, 100,
        50, 5, 50, false, 0));
    fwd = forwarder();
    fwd.apply(List.of(c), Labels.EMPTY);
    Appender a = db.appender();
    long ref = a.append(0, Labels.of("__name__", "up"), t0, 1);
    a.appendExemplar(ref, Labels.of("__name__", "up"), new Exemplar(Labels.of("t", "x"), 1, t0));
    Histogram h = new Histogram();
    h.count = 1;
    h.zeroCount = 1;
    a.appendHistogram(0, Labels.of("__name__", "hist"), t0, h, null);
    a.append(ref, Labels.of("__name__", "up"), t0 + 1000, 2);
    a.append(ref, Labels.of("__name__", "up"), t0 + 2000, 3);
    a.commit();
    String[] q = {"remote_name", "pk"};
    await("pending", () -> gauge("prometheus_remote_storage_samples_pending", q) == 3
        && gauge("prometheus_remote_storage_histograms_pending", q) == 1
        && gauge("prometheus_remote_storage_exemplars_pending", q) == 1);
    a = db.appender();
    for (int i = 3; i < 13; i++) {
      a.append(ref, Labels.of("__name__", "up"), t0 + i * 1000L, i);
    }
    a.commit();
    await("enqueue retries on the full shard (capacity 4)",
        () -> counter("prometheus_remote_storage_enqueue_retries_total", q) >= 1);
    rx.status = () -> 204;
    await("sent", () -> rx.samples.size() == 13 && rx.exemplars.size() == 1);
    await("nothing pending", () -> gauge("prometheus_remote_storage_samples_pending", q) == 0
        && gauge("prometheus_remote_storage_exemplars_pending", q) == 0);
    assertTrue(registry.find("prometheus_remote_storage_sent_batch_duration").tags(q).timer()
        .count() >= 2, "every attempt is timed");
    assertTrue(counter("prometheus_wal_watcher_records_read_total", "consumer", "pk", "type",
        "samples") >= 1);
    assertTrue(counter("prometheus_wal_watcher_records_read_total", "consumer", "pk", "type",
        "series") >= 1);
  }

  @Test
  void retriesServerErrorsUntilTheyPass() throws Exception {
    int[] calls = {0};
    rx.status = () -> ++calls[0] <= 3 ? 503 : 204;
    fwd = forwarder();
    fwd.apply(List.of(config("r")), Labels.EMPTY);
    append(3, 0, 50);
    await("all samples", () -> rx.samples.size() == 150);
    assertEquals(150, assertOnceInOrder());
    assertTrue(counter("prometheus_remote_storage_samples_retried_total", "remote_name", "r")
        > 0);
    assertEquals(0, counter("prometheus_remote_storage_samples_failed_total", "remote_name",
        "r"));
  }

  @Test
  void dropsAndCountsClientErrors() throws Exception {
    rx.status = () -> 400;
    fwd = forwarder();
    fwd.apply(List.of(config("bad")), Labels.EMPTY);
    append(1, 0, 10);
    await("failed counted", () -> counter("prometheus_remote_storage_samples_failed_total",
        "remote_name", "bad") == 10);
    rx.status = () -> 204;
    append(1, 10, 5);
    await("later samples", () -> rx.samples.size() == 5);
    assertEquals(t0 + 10_000, rx.samples.get(0).t());
  }

  @Test
  void retriesTooManyRequestsOnlyWhenAskedTo() throws Exception {
    int[] calls = {0};
    rx.status = () -> ++calls[0] <= 1 ? 429 : 204;
    rx.retryAfter = "1";
    RemoteWriteConfig c = config("rl").withQueue(queue(1, 1, 100, 50, true));
    fwd = forwarder();
    fwd.apply(List.of(c), Labels.EMPTY);
    long start = System.nanoTime();
    append(1, 0, 3);
    await("after Retry-After", () -> rx.samples.size() == 3);
    assertTrue(System.nanoTime() - start >= 900_000_000L, "waited for Retry-After");
    assertEquals(3, counter("prometheus_remote_storage_samples_retried_total", "remote_name",
        "rl"));
    fwd.close();

    calls[0] = 0;
    fwd = forwarder();
    fwd.apply(List.of(config("norl")), Labels.EMPTY);
    append(1, 3, 2);
    await("dropped", () -> counter("prometheus_remote_storage_samples_failed_total",
        "remote_name", "norl") == 2);
  }

  @Test
  void restartDuringAnOutageLosesAndRepeatsNothing() throws Exception {
    rx.status = () -> 503;
    fwd = forwarder();
    fwd.apply(List.of(config("o")), Labels.EMPTY);
    append(2, 0, 20);
    await("attempts", () -> rx.requests.get() >= 2);
    Path walDir = dir.resolve("wal");
    WalPosition held = fwd.queues().get("o").committed();
    assertEquals(held.segment(), WalRetention.firstNeeded(walDir));
    fwd.close();
    assertEquals(Integer.MAX_VALUE, WalRetention.firstNeeded(walDir), "hold released");
    append(2, 20, 10); // while we are down too
    rx.status = () -> 204;
    fwd = forwarder();
    fwd.apply(List.of(config("o")), Labels.EMPTY);
    append(2, 30, 10);
    await("everything", () -> rx.samples.size() == 80);
    Thread.sleep(200);
    assertEquals(80, assertOnceInOrder());

    // And a restart after everything was sent sends nothing again.
    fwd.close();
    fwd = forwarder();
    fwd.apply(List.of(config("o")), Labels.EMPTY);
    append(2, 40, 1);
    await("the new ones", () -> rx.samples.size() == 82);
    Thread.sleep(200);
    assertEquals(82, assertOnceInOrder());
  }

  @Test
  void reshardingCarriesUnsentItemsAlongInOrder() throws Exception {
    rx.status = () -> 503;
    RemoteWriteConfig c = config("rs").withQueue(queue(1, 8, 7, 20, false));
    // Only the manual reshards here: the automatic one (every 300 ms with FAST) could change the
    // shard count between them on a loaded machine.
    fwd = new RemoteWriteForwarder(dir, registry, new RemoteWriteForwarder.Options(20, 3_600_000,
        5_000));
    fwd.apply(List.of(c), Labels.EMPTY);
    append(5, 0, 40);
    await("attempts", () -> rx.requests.get() >= 2);
    QueueManager q = fwd.queues().get("rs");
    q.reshard(4);
    assertEquals(4, q.shardCount());
    rx.status = () -> 204;
    append(5, 40, 10);
    await("everything", () -> rx.samples.size() == 250);
    q.reshard(2);
    append(5, 50, 10);
    await("after the second reshard", () -> rx.samples.size() == 300);
    assertEquals(300, assertOnceInOrder());
    assertEquals(2, gauge("prometheus_remote_storage_shards", "remote_name", "rs"));
  }

  @Test
  void reshardsOnItsOwnWhenSendingIsTooSlow() throws Exception {
    rx.status = () -> {
      try {
        Thread.sleep(30);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 204;
    };
    RemoteWriteConfig c = config("auto").withQueue(queue(1, 6, 5, 10, false));
    fwd = forwarder();
    fwd.apply(List.of(c), Labels.EMPTY);
    for (int i = 0; i < 40; i++) {
      append(20, i * 10, 10);
      Thread.sleep(25);
    }
    await("more shards", () -> fwd.queues().get("auto").shardCount() > 1);
    await("everything", () -> rx.samples.size() == 20 * 400);
    assertEquals(20 * 400, assertOnceInOrder());
  }

  @Test
  void reloadChangesAddsAndRemovesQueuesWithoutLosingData() throws Exception {
    fwd = forwarder();
    RemoteWriteConfig c = config("a");
    fwd.apply(List.of(c), Labels.EMPTY);
    append(2, 0, 10);
    await("first", () -> rx.samples.size() == 20);
    rx.status = () -> 503; // nothing acknowledged across the change
    append(2, 10, 10);
    await("attempts", () -> rx.requests.get() >= 3);
    fwd.apply(List.of(c.withQueue(queue(2, 4, 50, 30, false))), Labels.EMPTY);
    assertEquals(2, fwd.queues().get("a").shardCount());
    append(2, 20, 10);
    rx.status = () -> 204;
    await("all", () -> rx.samples.size() == 60);
    Thread.sleep(200);
    assertEquals(60, assertOnceInOrder());

    try (StubReceiver second = new StubReceiver()) {
      RemoteWriteConfig b = new RemoteWriteConfig(second.url(), "b", 5_000, Map.of(),
          List.of(), false, false, RemoteWriteConfig.PROTO_V1, null, null, null, null,
          queue(1, 1, 100, 30, false), RemoteWriteConfig.MetadataConfig.DEFAULT);
      fwd.apply(List.of(c, b), Labels.EMPTY);
      append(2, 30, 5);
      await("both", () -> rx.samples.size() == 70 && second.samples.size() == 10);
      fwd.apply(List.of(b), Labels.EMPTY);
      assertFalse(fwd.queues().containsKey("a"));
      assertNotNull(fwd.queues().get("b"));
      assertTrue(Double.isNaN(gauge("prometheus_remote_storage_shards", "remote_name", "a")),
          "a removed queue's metrics go");
    }
  }
}
