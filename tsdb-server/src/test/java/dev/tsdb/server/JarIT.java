package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.ReferenceBinaries;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as users run it: exit codes, help, logs, health. */
class JarIT {
  private static final Path JAR = Path.of("target", "tsdb-server.jar");

  @TempDir
  Path dir;

  private Process start(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).directory(dir.toFile()).start();
  }

  private static String stderr(Process p) throws IOException {
    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void unknownFlagAndBadValueExitWith2AndOneLine() throws Exception {
    Process p = start("--no-such-flag");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    assertEquals("tsdb: error: unknown long flag '--no-such-flag', try --help\n", stderr(p));

    p = start("--storage.tsdb.retention.time", "forever");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    String err = stderr(p);
    assertEquals(1, err.lines().count(), err);
    assertTrue(err.startsWith("tsdb: error: invalid value \"forever\" for flag"
        + " '--storage.tsdb.retention.time'"), err);
  }

  /**
   * An invalid --web.config.file (a misspelt field; a cert_file that does not exist) stops the
   * start with exit status 1 and the reason logged as Prometheus 3.5 logs it for the same file.
   */
  @Test
  void invalidWebConfigExitsWith1AndSaysWhyAsPrometheus() throws Exception {
    Path prometheus = ReferenceBinaries.require(PrometheusRelease.V3_5,
        ReferenceBinaries.Tool.PROMETHEUS);
    Files.writeString(dir.resolve("prometheus.yml"), "global: {}\n");
    Files.writeString(dir.resolve("misspelt.yml"), "tls_server_config:\n  cert_fil: x\n");
    Files.writeString(dir.resolve("missing-cert.yml"),
        "tls_server_config:\n  cert_file: nope.crt\n  key_file: nope.key\n");
    for (String file : List.of("misspelt.yml", "missing-cert.yml")) {
      Process ours = start("--web.config.file=" + file, "--web.listen-address=127.0.0.1:0",
          "--storage.tsdb.path=" + dir.resolve("data"));
      String ourLog = stderr(ours);
      assertTrue(ours.waitFor(60, TimeUnit.SECONDS));
      assertEquals(1, ours.exitValue(), ourLog);
      Process theirs = new ProcessBuilder(prometheus.toString(), "--web.config.file=" + file,
          "--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + dir.resolve("prom"),
          "--config.file=prometheus.yml").directory(dir.toFile()).redirectErrorStream(true)
          .start();
      String theirLog = new String(theirs.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8);
      assertTrue(theirs.waitFor(60, TimeUnit.SECONDS));
      assertEquals(1, theirs.exitValue(), theirLog);
      String reason = errorLine(theirLog);
      assertTrue(reason.contains("Unable to validate web configuration file"), theirLog);
      assertEquals(reason, errorLine(ourLog), file);
    }
  }

  /** The msg and err of the one ERROR line, without time and source (they differ). */
  private static String errorLine(String log) {
    List<String> errors = log.lines().filter(l -> l.contains("level=ERROR")).toList();
    assertEquals(1, errors.size(), log);
    String line = errors.get(0);
    return line.substring(line.indexOf(" msg=") + 1);
  }

  @Test
  void helpAndVersionExitWith0() throws Exception {
    Process p = start("--help");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    assertTrue(out.contains("--storage.tsdb.path=<value>"), out);
    assertTrue(out.contains("--[no-]web.enable-lifecycle"), out);
    p = start("--version");
    out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    assertTrue(out.startsWith("tsdb, version "), out);
  }

  @Test
  void missingExplicitConfigFailsStartup() throws Exception {
    Process p = start("--config.file=" + dir.resolve("nope.yml"), "--web.listen-address=127.0.0.1:0");
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, p.exitValue());
    assertTrue(stderr(p).contains("level=ERROR"));
  }

  @Test
  void servesHealthAndLogsLogfmtToStderr() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 15s\nscrape_configs:\n  - job_name: x\nrule_files: []\n");
    Process p = start("--web.listen-address=127.0.0.1:" + port,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.enable-lifecycle",
        "--enable-feature=a,b", "--enable-feature", "c");
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> r = null;
      // 503 while the database loads (the listener starts first), then 200.
      for (int i = 0; i < 200 && (r == null || r.statusCode() == 503); i++) {
        try {
          r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
              + "/-/ready")).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 503) {
            assertEquals("Service Unavailable", r.body());
            Thread.sleep(50);
          }
        } catch (IOException e) {
          Thread.sleep(100);
        }
      }
      assertEquals(200, r.statusCode());
      assertEquals("Prometheus Server is Ready.\n", r.body());
      // A changed config is picked up by SIGHUP and by POST /-/reload.
      Files.writeString(dir.resolve("prometheus.yml"),
          "global:\n  scrape_interval: 20s\nscrape_configs:\n  - job_name: x\n");
      new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
      String cfg = "";
      for (int i = 0; i < 100 && !cfg.contains("20s"); i++) {
        Thread.sleep(100);
        cfg = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/api/v1/status/config")).build(), HttpResponse.BodyHandlers.ofString()).body();
      }
      assertTrue(cfg.contains("scrape_interval: 20s"), cfg);
      Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 30s\n");
      r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      cfg = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/api/v1/status/config")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(cfg.contains("scrape_interval: 30s"), cfg);
      r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/-/quit")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue());
      String log = stderr(p);
      for (String line : log.split("\n")) {
        assertTrue(line.matches("time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"
            + " level=(DEBUG|INFO|WARN|ERROR) source=\\S+ msg=.*"), line);
      }
      // One warning naming every ignored section, per load (start, SIGHUP reload).
      assertEquals(2, log.lines().filter(l -> l.contains("not supported yet")).count(), log);
      assertTrue(log.contains("sections=scrape_configs"), log);
    } finally {
      p.destroyForcibly();
    }
  }
}
