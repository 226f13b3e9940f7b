package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.server.web.TestPkiAccess;
import dev.tsdb.testkit.reference.Alertmanager;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our notifier against the reference Alertmanager (0.33) behind its own web config file with
 * TLS and basic auth: with the right tls_config and basic_auth a firing alert arrives (read back
 * from Alertmanager's v2 API with credentials); with a wrong password every send fails and
 * prometheus_notifications_errors_total of that Alertmanager counts it.
 */
class AlertmanagerCredentialsIT {
  @TempDir
  Path dir;

  /** The value of one series of /metrics, 0 when it is not there yet. */
  private static double metric(TestServer ts, String series) throws Exception {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$")
        .matcher(ts.get("/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void alertArrivesWithCredentialsAndWrongOnesAreCountedAsErrors() throws Exception {
    Path pkiDir = Files.createDirectories(dir.resolve("pki"));
    TestPkiAccess.Material pki = TestPkiAccess.write(pkiDir);
    String webConfig = "tls_server_config:\n"
        + "  cert_file: " + pkiDir.resolve("server.crt") + "\n"
        + "  key_file: " + pkiDir.resolve("server.key") + "\n"
        + "basic_auth_users:\n  prom: '" + TestPkiAccess.bcrypt("secret") + "'\n";
    try (Alertmanager am = Alertmanager.start(PrometheusRelease.V3_5, dir.resolve("am"),
        Alertmanager.BLACKHOLE,
        new Alertmanager.WebAccess(webConfig, TestPkiAccess.clientContext(pki, false), "prom",
            "secret"))) {
      // Without credentials Alertmanager refuses: the secured set-up is real.
      assertEquals(401, unauthenticatedStatus(am, pki));
      Path srv = Files.createDirectories(dir.resolve("srv"));
      Files.writeString(srv.resolve("always.yml"), """
          groups:
            - name: always
              interval: 1s
              rules:
                - alert: AlwaysFiring
                  expr: vector(1)
                  labels:
                    severity: page
          """);
      // The same Alertmanager twice: as 127.0.0.1 with the right password, as localhost
      // (also in the server certificate) with a wrong one, so the metrics tell them apart.
      Files.writeString(srv.resolve("prometheus.yml"), """
          global:
            evaluation_interval: 1s
          rule_files: [always.yml]
          alerting:
            alertmanagers:
              - scheme: https
                timeout: 5s
                basic_auth: {username: prom, password: secret}
                tls_config: {ca_file: %1$s}
                static_configs: [{targets: ['127.0.0.1:%2$d']}]
              - scheme: https
                timeout: 5s
                basic_auth: {username: prom, password: wrong}
                tls_config: {ca_file: %1$s}
                static_configs: [{targets: ['localhost:%2$d']}]
          """.formatted(pkiDir.resolve("ca.crt"), am.port()));
      try (TestServer ts = new TestServer(srv)) {
        String alerts = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!alerts.contains("AlwaysFiring") && System.nanoTime() < deadline) {
          Thread.sleep(250);
          alerts = am.get("/api/v2/alerts").body();
        }
        assertTrue(alerts.contains("\"alertname\":\"AlwaysFiring\""), alerts);
        String good = "prometheus_notifications_errors_total{alertmanager=\"https://127.0.0.1:"
            + am.port() + "/api/v2/alerts\"}";
        String bad = "prometheus_notifications_errors_total{alertmanager=\"https://localhost:"
            + am.port() + "/api/v2/alerts\"}";
        double badErrors = 0;
        while (badErrors == 0 && System.nanoTime() < deadline) {
          Thread.sleep(250);
          badErrors = metric(ts, bad);
        }
        assertTrue(badErrors >= 1, ts.get("/metrics").body());
        assertEquals(0, metric(ts, good), ts.get("/metrics").body());
        String sent = "prometheus_notifications_sent_total{alertmanager=\"https://127.0.0.1:"
            + am.port() + "/api/v2/alerts\"}";
        assertTrue(metric(ts, sent) >= 1, ts.get("/metrics").body());
      }
    }
  }

  private static int unauthenticatedStatus(Alertmanager am, TestPkiAccess.Material pki)
      throws Exception {
    HttpClient plain = HttpClient.newBuilder()
        .sslContext(TestPkiAccess.clientContext(pki, false)).build();
    return plain.send(HttpRequest.newBuilder(URI.create(am.base() + "/api/v2/alerts")).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
