package dev.tsdb.rules.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.rules.config.AlertingConfig;
import dev.tsdb.rules.config.AlertmanagerConfig;
import dev.tsdb.rules.config.Authorization;
import dev.tsdb.rules.config.BasicAuth;
import dev.tsdb.rules.config.StaticConfig;
import dev.tsdb.rules.config.TlsConfig;
import dev.tsdb.rules.metrics.MeterValues;
import dev.tsdb.rules.relabel.RelabelConfig;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class NotifierManagerTest {
  @TempDir
  Path dir;

  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final List<AutoCloseable> closers = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closers) {
      c.close();
    }
  }

  private <T extends AutoCloseable> T track(T c) {
    closers.add(0, c);
    return c;
  }

  private NotifierManager manager(NotifierManager.Options o) {
    return track(new NotifierManager(o.withMetrics(metrics)));
  }

  static NotifierAlert alert(String name, String... labels) {
    Labels l = Labels.of(labels).toBuilder().set("alertname", name).build();
    return new NotifierAlert(l, Map.of("summary", "it is " + name), 1_700_000_000_123L,
        1_700_000_240_123L, "http://prom:9090/graph?g0.expr=up&g0.tab=1");
  }

  private static AlertmanagerConfig am(AlertReceiver r) {
    return AlertmanagerConfig.staticTargets(List.of(r.target()));
  }

  private static Map<String, String> amLabel(String url) {
    return Map.of("alertmanager", url);
  }

  @Test
  void sendsV2JsonWithExternalLabelsAndRelabelling() throws Exception {
    AlertReceiver r = track(new AlertReceiver());
    NotifierManager n = manager(NotifierManager.Options.DEFAULT);
    List<RelabelConfig> relabel = List.of(
        RelabelConfig.of(List.of("severity"), null, "debug", null, null, null, "drop"),
        RelabelConfig.of(List.of("env"), null, "(.*)", null, "environment", "${1}-x", null));
    n.applyConfig(Labels.of("env", "prod", "cluster", "eu1"),
        new AlertingConfig(relabel, List.of(am(r))));
    n.send(List.of(alert("A", "severity", "page", "cluster", "mine"),
        alert("B", "severity", "debug")));
    r.awaitAlerts(1, 5000);
    Thread.sleep(100);
    assertEquals(1, r.requests.size());
    AlertReceiver.Request req = r.requests.get(0);
    assertEquals("/api/v2/alerts", req.path());
    JsonNode a = req.body().get(0);
    assertEquals(1, req.body().size(), "the debug alert is dropped by relabelling");
    assertEquals("A", a.get("labels").get("alertname").asText());
    assertEquals("mine", a.get("labels").get("cluster").asText(), "own labels win");
    assertEquals("prod", a.get("labels").get("env").asText());
    assertEquals("prod-x", a.get("labels").get("environment").asText());
    assertEquals("it is A", a.get("annotations").get("summary").asText());
    assertEquals("2023-11-14T22:13:20.123Z", a.get("startsAt").asText());
    assertEquals("2023-11-14T22:17:20.123Z", a.get("endsAt").asText());
    assertEquals("http://prom:9090/graph?g0.expr=up&g0.tab=1", a.get("generatorURL").asText());
    String url = "http://" + r.target() + "/api/v2/alerts";
    assertEquals(1.0, awaitSent(url, 1.0));
    assertEquals(List.of(new AlertmanagersSnapshot.AlertmanagerUrl(url)),
        n.alertmanagersSnapshot().activeAlertmanagers());
  }

  @Test
  void batchesAtMost256AlertsPerRequest() throws Exception {
    AlertReceiver r = track(new AlertReceiver());
    r.hold = new CountDownLatch(1);
    NotifierManager n = manager(NotifierManager.Options.DEFAULT);
    n.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(am(r))));
    n.send(List.of(alert("first")));
    Thread.sleep(200); // the first batch is in flight and held
    List<NotifierAlert> many = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      many.add(alert("A" + i));
    }
    n.send(many);
    r.hold.countDown();
    r.awaitAlerts(601, 10_000);
    List<Integer> sizes = r.requests.stream().map(q -> q.body().size()).toList();
    assertEquals(List.of(1, 256, 256, 88), sizes);
  }

  @Test
  void fullQueueDropsTheOldestAlerts() throws Exception {
    AlertReceiver r = track(new AlertReceiver());
    r.hold = new CountDownLatch(1);
    NotifierManager n = manager(NotifierManager.Options.DEFAULT.withQueueCapacity(10));
    n.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(am(r))));
    String url = "http://" + r.target() + "/api/v2/alerts";
    n.send(List.of(alert("inflight")));
    Thread.sleep(200);
    for (int i = 0; i < 15; i++) {
      n.send(List.of(alert("A" + i)));
    }
    assertEquals(10, n.queueLength());
    assertEquals(5.0, MeterValues.value(metrics, NotifierMetrics.DROPPED, Map.of()));
    assertEquals(10.0, MeterValues.value(metrics, NotifierMetrics.QUEUE_LENGTH, Map.of()));
    assertEquals(10.0, MeterValues.value(metrics, NotifierMetrics.QUEUE_CAPACITY, Map.of()));
    r.hold.countDown();
    r.awaitAlerts(11, 5000);
    List<String> names = new ArrayList<>();
    r.requests.forEach(q -> q.body().forEach(a -> names.add(a.get("labels").get("alertname")
        .asText())));
    assertEquals("A5", names.get(1), "A0..A4 were dropped");
    assertEquals("A14", names.get(names.size() - 1));
  }

  @Test
  void failedBatchesAreRetriedThenDropped() throws Exception {
    AlertReceiver r = track(new AlertReceiver());
    r.status = 500;
    NotifierManager n = manager(NotifierManager.Options.DEFAULT.withRetries(2, 10));
    n.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(am(r))));
    String url = "http://" + r.target() + "/api/v2/alerts";
    n.send(List.of(alert("A"), alert("B")));
    long deadline = System.currentTimeMillis() + 5000;
    while (MeterValues.value(metrics, NotifierMetrics.DROPPED, Map.of()) < 2
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(3, r.requests.size(), "one attempt plus two retries");
    assertEquals(6.0, MeterValues.value(metrics, NotifierMetrics.ERRORS, amLabel(url)));
    assertEquals(2.0, MeterValues.value(metrics, NotifierMetrics.DROPPED, Map.of()));
    assertEquals(0.0, MeterValues.value(metrics, NotifierMetrics.SENT, amLabel(url)));
  }

  @Test
  void authenticationHeaders() throws Exception {
    AlertReceiver basic = track(new AlertReceiver());
    AlertReceiver bearer = track(new AlertReceiver());
    Path pw = dir.resolve("pw");
    Files.writeString(pw, "s3cret\n");
    AlertmanagerConfig c1 = new AlertmanagerConfig("http", "/", 5000, "v2",
        new BasicAuth("user", null, pw.toString()), null, TlsConfig.NONE,
        List.of(new StaticConfig(List.of(basic.target()), Map.of())), List.of(), List.of());
    AlertmanagerConfig c2 = new AlertmanagerConfig("http", "/prefix/", 5000, "v2", null,
        new Authorization("Bearer", "tok", null), TlsConfig.NONE,
        List.of(new StaticConfig(List.of(bearer.target()), Map.of())), List.of(), List.of());
    NotifierManager n = manager(NotifierManager.Options.DEFAULT);
    n.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(c1, c2)));
    n.send(List.of(alert("A")));
    basic.awaitAlerts(1, 5000);
    bearer.awaitAlerts(1, 5000);
    assertEquals("Basic " + Base64.getEncoder().encodeToString(
        "user:s3cret".getBytes(StandardCharsets.UTF_8)), basic.requests.get(0).authorization());
    assertEquals("Bearer tok", bearer.requests.get(0).authorization());
    assertEquals("/prefix/api/v2/alerts", bearer.requests.get(0).path());
  }

  /** oauth2: one token from a loopback endpoint serves both Alertmanagers of the set. */
  @Test
  void oauth2BearerToken() throws Exception {
    AlertReceiver a = track(new AlertReceiver());
    AlertReceiver b = track(new AlertReceiver());
    com.sun.net.httpserver.HttpServer tokens = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    java.util.concurrent.atomic.AtomicInteger issued =
        new java.util.concurrent.atomic.AtomicInteger();
    tokens.createContext("/token", ex -> {
      try (ex) {
        byte[] out = ("{\"access_token\":\"am" + issued.incrementAndGet() + "\"}").getBytes();
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
      }
    });
    tokens.start();
    track(() -> tokens.stop(0));
    AlertmanagerConfig c = new AlertmanagerConfig("http", "/", 5000, "v2", null, null,
        TlsConfig.NONE, List.of(new StaticConfig(List.of(a.target(), b.target()), Map.of())),
        List.of(), List.of(), List.of(), List.of(), null, Map.of(),
        new dev.tsdb.rules.config.OAuth2Config("am", "secret", null, List.of(),
            "http://127.0.0.1:" + tokens.getAddress().getPort() + "/token", Map.of(), null,
            null));
    NotifierManager n = manager(NotifierManager.Options.DEFAULT);
    n.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(c)));
    n.send(List.of(alert("A")));
    a.awaitAlerts(1, 5000);
    b.awaitAlerts(1, 5000);
    assertEquals("Bearer am1", a.requests.get(0).authorization());
    assertEquals("Bearer am1", b.requests.get(0).authorization());
    assertEquals(1, issued.get());
  }

  @Test
  void targetRelabellingAndPerSetAlertRelabelling() throws Exception {
    AlertReceiver r = track(new AlertReceiver());
    AlertmanagerConfig cfg = new AlertmanagerConfig("http", "/", 5000, "v2", null, null,
        TlsConfig.NONE, List.of(new StaticConfig(List.of(r.target(), "10.0.0.1:9093"),
            Map.of())), List.of(RelabelConfig.of(List.of("__address__"), null, "10\\..*", null,
                null, null, "drop")),
        List.of(RelabelConfig.of(null, null, "summary|team", null, null, null, "labeldrop"),
            RelabelConfig.of(List.of(), null, null, null, "via", "set", null)));
    NotifierManager n = manager(NotifierManager.Options.DEFAULT);
    n.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(cfg)));
    AlertmanagersSnapshot snap = n.alertmanagersSnapshot();
    assertEquals(1, snap.activeAlertmanagers().size());
    assertEquals("http://10.0.0.1:9093/api/v2/alerts",
        snap.droppedAlertmanagers().get(0).url());
    n.send(List.of(alert("A", "team", "x")));
    r.awaitAlerts(1, 5000);
    JsonNode labels = r.requests.get(0).body().get(0).get("labels");
    assertFalse(labels.has("team"));
    assertEquals("set", labels.get("via").asText());
  }

  /**
   * The sent counter of {@code url} once it reached {@code want} (or after 5 s): the receiver has
   * a request before the sender, after the response, counts it.
   */
  private double awaitSent(String url, double want) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    double v = MeterValues.value(metrics, NotifierMetrics.SENT, amLabel(url));
    while (!(v >= want) && System.nanoTime() < deadline) {
      Thread.sleep(10);
      v = MeterValues.value(metrics, NotifierMetrics.SENT, amLabel(url));
    }
    return v;
  }

  @Test
  void reloadKeepsUnchangedAlertmanagers() throws Exception {
    AlertReceiver r = track(new AlertReceiver());
    NotifierManager n = manager(NotifierManager.Options.DEFAULT);
    AlertingConfig cfg = new AlertingConfig(List.of(), List.of(am(r)));
    n.applyConfig(Labels.EMPTY, cfg);
    n.send(List.of(alert("A")));
    r.awaitAlerts(1, 5000);
    n.applyConfig(Labels.of("x", "y"), cfg);
    n.send(List.of(alert("B")));
    r.awaitAlerts(2, 5000);
    String url = "http://" + r.target() + "/api/v2/alerts";
    assertEquals(2.0, awaitSent(url, 2.0));
    assertEquals("y", r.requests.get(1).body().get(0).get("labels").get("x").asText());
    n.applyConfig(Labels.EMPTY, AlertingConfig.NONE);
    assertTrue(n.alertmanagersSnapshot().activeAlertmanagers().isEmpty());
    assertTrue(Double.isNaN(MeterValues.value(metrics, NotifierMetrics.SENT, amLabel(url))));
  }

  // ---- TLS ----

  private Path keystore(String name, String cn) throws Exception {
    Path ks = dir.resolve(name + ".p12");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString(), "-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=" + cn, "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
        "-keypass", "changeit").redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertEquals(0, p.waitFor());
    return ks;
  }

  private static KeyStore load(Path p12) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(p12.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    return ks;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(der) + "\n-----END " + type + "-----\n";
  }

  private Path certPem(Path p12, String alias) throws Exception {
    Certificate c = load(p12).getCertificate(alias);
    Path out = dir.resolve(alias + ".crt");
    Files.writeString(out, pem("CERTIFICATE", c.getEncoded()));
    return out;
  }

  private SSLContext serverContext(Path p12, Path trustedClient) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(p12), "changeit".toCharArray());
    TrustManagerFactory tmf = null;
    if (trustedClient != null) {
      KeyStore ts = KeyStore.getInstance("PKCS12");
      ts.load(null, null);
      ts.setCertificateEntry("client", HttpClients.readCertificates(
          java.nio.file.Files.readAllBytes(trustedClient), trustedClient.toString()).get(0));
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ts);
    }
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
    return ctx;
  }

  private static AlertmanagerConfig https(AlertReceiver r, TlsConfig tls) {
    return new AlertmanagerConfig("https", "/", 5000, "v2", null, null, tls,
        List.of(new StaticConfig(List.of(r.target()), Map.of())), List.of(), List.of());
  }

  @Test
  void tlsWithCaFileInsecureSkipVerifyAndUntrustedServer() throws Exception {
    Path server = keystore("server", "localhost");
    AlertReceiver r = track(new AlertReceiver(serverContext(server, null)));
    Path ca = certPem(server, "server");
    NotifierManager n = manager(NotifierManager.Options.DEFAULT.withRetries(0, 1));
    n.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(
        https(r, new TlsConfig(ca.toString(), null, null, null, false)),
        https(r, new TlsConfig(null, null, null, null, true)))));
    n.send(List.of(alert("A")));
    r.awaitAlerts(2, 5000);
    assertEquals(2, r.requests.size(), "trusted via ca_file and via insecure_skip_verify");
    n.stop();

    NotifierManager untrusted = manager(NotifierManager.Options.DEFAULT.withRetries(0, 1));
    untrusted.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(
        https(r, TlsConfig.NONE))));
    untrusted.send(List.of(alert("B")));
    String url = "https://" + r.target() + "/api/v2/alerts";
    long deadline = System.currentTimeMillis() + 5000;
    while (MeterValues.value(metrics, NotifierMetrics.ERRORS, amLabel(url)) < 1
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(1.0, MeterValues.value(metrics, NotifierMetrics.ERRORS, amLabel(url)));
    assertEquals(2, r.requests.size());
  }

  @Test
  void tlsClientCertificate() throws Exception {
    Path server = keystore("server", "localhost");
    Path client = keystore("client", "client");
    Path clientCert = certPem(client, "client");
    Path clientKey = dir.resolve("client.key");
    Files.writeString(clientKey, pem("PRIVATE KEY",
        load(client).getKey("client", "changeit".toCharArray()).getEncoded()));
    SSLContext ctx = serverContext(server, clientCert);
    // This server requires a client certificate.
    AlertReceiver r = track(new AlertReceiver(new HttpsConfigurator(ctx) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters sp = ctx.getDefaultSSLParameters();
        sp.setNeedClientAuth(true);
        params.setSSLParameters(sp);
      }
    }));
    Path ca = certPem(server, "server");
    NotifierManager n = manager(NotifierManager.Options.DEFAULT.withRetries(0, 1));
    n.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(https(r,
        new TlsConfig(ca.toString(), clientCert.toString(), clientKey.toString(), "localhost",
            false)))));
    n.send(List.of(alert("A")));
    r.awaitAlerts(1, 5000);
    assertEquals(1, r.requests.size());
    // The same PEM given inline (tls_config ca, cert, key) instead of as files.
    NotifierManager inline = manager(NotifierManager.Options.DEFAULT.withRetries(0, 1));
    inline.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(https(r,
        new TlsConfig(null, null, null, "localhost", false, Files.readString(ca),
            Files.readString(clientCert), Files.readString(clientKey))))));
    inline.send(List.of(alert("B")));
    r.awaitAlerts(2, 5000);
    assertEquals(2, r.requests.size());
  }
}
