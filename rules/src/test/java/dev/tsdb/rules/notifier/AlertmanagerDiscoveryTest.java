package dev.tsdb.rules.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.rules.config.AlertingConfig;
import dev.tsdb.rules.config.AlertmanagerConfig;
import dev.tsdb.rules.config.ConfigLoader;
import dev.tsdb.rules.config.DnsSdConfig;
import dev.tsdb.rules.config.FileSdConfig;
import dev.tsdb.rules.config.PrometheusConfig;
import dev.tsdb.rules.notifier.discovery.DnsResolver;
import dev.tsdb.rules.notifier.discovery.DnsTargets;
import dev.tsdb.rules.notifier.discovery.FileTargets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** file_sd_configs and dns_sd_configs for Alertmanagers, and the http_headers sent to them. */
class AlertmanagerDiscoveryTest {
  @TempDir
  Path dir;

  /** Answers from a table instead of the network. */
  private static final class FakeDns implements DnsResolver {
    volatile List<Srv> srv = List.of();
    volatile List<String> v4 = List.of();
    volatile List<String> v6 = List.of();

    @Override
    public List<Srv> srv(String name) {
      return srv;
    }

    @Override
    public List<String> hosts(String name, String type) {
      return List.of("mx1.example.");
    }

    @Override
    public List<String> addresses(String name, boolean ipv6) throws IOException {
      if (name.equals("fails")) {
        throw new IOException("lookup fails: no such host");
      }
      return ipv6 ? v6 : v4;
    }
  }

  @Test
  void fileTargetsReadJsonAndYamlAndNoticeChanges() throws Exception {
    Path json = dir.resolve("a.json");
    Files.writeString(json, "[{\"targets\": [\"h1:9093\", \"h2:9093\"], \"labels\": {\"x\": \"1\"}}]");
    Files.writeString(dir.resolve("b.yml"), "- targets: ['h3:9093']\n");
    Files.writeString(dir.resolve("c.txt"), "not matched");
    FileTargets ft = new FileTargets(new FileSdConfig(List.of(dir + "/*.json",
        dir + "/*.yml"), 60_000));
    assertTrue(ft.changed());
    List<Map<String, String>> t = ft.refresh();
    assertEquals(List.of("h1:9093", "h2:9093", "h3:9093"),
        t.stream().map(m -> m.get("__address__")).toList());
    assertEquals("1", t.get(0).get("x"));
    assertEquals(json.toString(), t.get(0).get("__meta_filepath"));
    assertFalse(ft.changed());

    Files.writeString(json, "[{\"targets\": [\"h9:9093\"]}]");
    Files.setLastModifiedTime(json, FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertTrue(ft.changed());
    assertEquals(List.of("h9:9093", "h3:9093"),
        ft.refresh().stream().map(m -> m.get("__address__")).toList());

    // A broken file keeps what it gave before; a deleted one gives nothing.
    Files.writeString(json, "[{\"targets\": [");
    assertEquals(2, ft.refresh().size());
    Files.delete(json);
    assertEquals(List.of("h3:9093"),
        ft.refresh().stream().map(m -> m.get("__address__")).toList());
  }

  @Test
  void dnsTargetsFromSrvAAndAaaaRecords() {
    FakeDns dns = new FakeDns();
    dns.srv = List.of(new DnsResolver.Srv("am1.example.", 9093),
        new DnsResolver.Srv("am2.example.", 9094));
    List<Map<String, String>> srv = new DnsTargets(
        new DnsSdConfig(List.of("_am._tcp.example"), "SRV", 0, 30_000), dns).refresh();
    assertEquals(List.of("am1.example:9093", "am2.example:9094"),
        srv.stream().map(m -> m.get("__address__")).toList());
    assertEquals("am1.example.", srv.get(0).get("__meta_dns_srv_record_target"));
    assertEquals("9093", srv.get(0).get("__meta_dns_srv_record_port"));
    assertEquals("_am._tcp.example", srv.get(0).get("__meta_dns_name"));

    dns.v4 = List.of("10.0.0.1", "10.0.0.2");
    dns.v6 = List.of("::1");
    assertEquals(List.of("10.0.0.1:9093", "10.0.0.2:9093"), new DnsTargets(
        new DnsSdConfig(List.of("am.example"), "A", 9093, 30_000), dns).refresh().stream()
        .map(m -> m.get("__address__")).toList());
    assertEquals(List.of("[::1]:9093"), new DnsTargets(
        new DnsSdConfig(List.of("am.example"), "AAAA", 9093, 30_000), dns).refresh().stream()
        .map(m -> m.get("__address__")).toList());
    Map<String, String> mx = new DnsTargets(
        new DnsSdConfig(List.of("example"), "MX", 25, 30_000), dns).refresh().get(0);
    assertEquals("mx1.example:25", mx.get("__address__"));
    assertEquals("mx1.example.", mx.get("__meta_dns_mx_record_target"));

    // A failing name keeps its earlier answer (none here), the others still resolve.
    assertEquals(List.of("10.0.0.1:9093", "10.0.0.2:9093"), new DnsTargets(
        new DnsSdConfig(List.of("fails", "am.example"), "A", 9093, 30_000), dns).refresh()
        .stream().map(m -> m.get("__address__")).toList());
  }

  @Test
  void notifierFollowsTheFileAndSendsConfiguredHeaders() throws Exception {
    try (AlertReceiver r1 = new AlertReceiver(); AlertReceiver r2 = new AlertReceiver();
        NotifierManager n = new NotifierManager(NotifierManager.Options.DEFAULT, new FakeDns(),
            20)) {
      Path targets = dir.resolve("am.json");
      Files.writeString(targets, "[{\"targets\": [\"" + r1.target() + "\"]}]");
      PrometheusConfig cfg = ConfigLoader.parse("alerting:\n  alertmanagers:\n"
          + "  - file_sd_configs: [{files: [am.json], refresh_interval: 1h}]\n"
          + "    http_headers: {X-Custom: {values: [v1]}}\n", "p.yml", dir);
      n.applyConfig(cfg);
      assertEquals(List.of("http://" + r1.target() + "/api/v2/alerts"), urls(n));
      n.send(List.of(NotifierManagerTest.alert("A")));
      r1.awaitAlerts(1, 10_000);
      assertEquals(List.of("v1"), r1.requests.get(0).custom());

      Files.writeString(targets, "[{\"targets\": [\"" + r2.target() + "\"]}]");
      Files.setLastModifiedTime(targets, FileTime.fromMillis(System.currentTimeMillis() + 5000));
      await(() -> urls(n).equals(List.of("http://" + r2.target() + "/api/v2/alerts")));
      n.send(List.of(NotifierManagerTest.alert("B")));
      r2.awaitAlerts(1, 10_000);
      assertEquals("B", r2.requests.get(0).body().get(0).get("labels").get("alertname")
          .asText());
      assertEquals(1, r1.alertCount());
    }
  }

  @Test
  void dnsTargetsAreLookedUpAgainEveryRefreshInterval() throws Exception {
    FakeDns dns = new FakeDns();
    dns.v4 = List.of("10.0.0.1");
    try (NotifierManager n = new NotifierManager(NotifierManager.Options.DEFAULT, dns, 20)) {
      AlertmanagerConfig am = new AlertmanagerConfig("http", "/", 1000, "v2", null, null, null,
          List.of(), List.of(), List.of(), List.of(),
          List.of(new DnsSdConfig(List.of("am.example"), "A", 9093, 50)), null, Map.of());
      n.applyConfig(Labels.EMPTY, new AlertingConfig(List.of(), List.of(am)));
      assertEquals(List.of("http://10.0.0.1:9093/api/v2/alerts"), urls(n));
      dns.v4 = List.of("10.0.0.2", "10.0.0.3");
      await(() -> urls(n).size() == 2);
      assertEquals(List.of("http://10.0.0.2:9093/api/v2/alerts",
          "http://10.0.0.3:9093/api/v2/alerts"), urls(n));
    }
  }

  private static List<String> urls(NotifierManager n) {
    return n.alertmanagersSnapshot().activeAlertmanagers().stream()
        .map(AlertmanagersSnapshot.AlertmanagerUrl::url).toList();
  }

  private static void await(Supplier<Boolean> cond) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!cond.get() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertTrue(cond.get(), "condition not reached in 10s");
  }
}
