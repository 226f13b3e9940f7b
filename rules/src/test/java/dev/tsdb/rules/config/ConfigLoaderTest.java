package dev.tsdb.rules.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.rules.relabel.RelabelAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir
  Path dir;

  static final String CONFIG = """
      global:
        scrape_interval: 15s
        evaluation_interval: 30s
        rule_query_offset: 10s
        external_labels:
          cluster: eu1
          replica: a
      rule_files:
        - rules/*.yml
        - /abs/other.rules
      scrape_configs:
        - job_name: ignored-here
      alerting:
        alert_relabel_configs:
          - source_labels: [replica]
            action: labeldrop
            regex: replica
      """;

  @Test
  void readsGlobalRuleFilesAndAlerting() throws Exception {
    Path f = dir.resolve("prometheus.yml");
    Files.writeString(f, CONFIG.replace("action: labeldrop", "action: drop") + """
          alertmanagers:
            - scheme: https
              path_prefix: /am
              timeout: 5s
              api_version: v2
              basic_auth:
                username: u
                password_file: secrets/pw
              tls_config:
                ca_file: certs/ca.pem
                insecure_skip_verify: true
              static_configs:
                - targets: ['am1:9093', 'am2:9093']
                  labels: {dc: x}
              relabel_configs:
                - source_labels: [__address__]
                  regex: am2.*
                  action: drop
        """);
    PrometheusConfig c = ConfigLoader.load(f);
    assertEquals(30_000, c.global().evaluationIntervalMs());
    assertEquals(10_000, c.global().ruleQueryOffsetMs());
    assertEquals(Labels.of("cluster", "eu1", "replica", "a"), c.global().externalLabels());
    assertEquals(List.of(dir.resolve("rules/*.yml").toString(), "/abs/other.rules"),
        c.ruleFiles());
    assertEquals(RelabelAction.DROP, c.alerting().alertRelabelConfigs().get(0).action());
    AlertmanagerConfig am = c.alerting().alertmanagers().get(0);
    assertEquals("https", am.scheme());
    assertEquals("/am", am.pathPrefix());
    assertEquals(5_000, am.timeoutMs());
    assertEquals(dir.resolve("secrets/pw").toString(), am.basicAuth().passwordFile());
    assertEquals(dir.resolve("certs/ca.pem").toString(), am.tls().caFile());
    assertTrue(am.tls().insecureSkipVerify());
    assertEquals(new StaticConfig(List.of("am1:9093", "am2:9093"), Map.of("dc", "x")),
        am.staticConfigs().get(0));
    assertEquals(1, am.relabelConfigs().size());
  }

  @Test
  void defaultsWhenSectionsAreMissing() throws Exception {
    PrometheusConfig c = ConfigLoader.parse("scrape_configs: []\n", "p.yml", dir);
    assertEquals(60_000, c.global().evaluationIntervalMs());
    assertTrue(c.ruleFiles().isEmpty());
    assertTrue(c.alerting().alertmanagers().isEmpty());
    AlertmanagerConfig am = ConfigLoader.parse(
        "alerting:\n  alertmanagers:\n  - static_configs:\n    - targets: [a:1]\n", "p.yml", dir)
        .alerting().alertmanagers().get(0);
    assertEquals("http", am.scheme());
    assertEquals("/", am.pathPrefix());
    assertEquals(10_000, am.timeoutMs());
    assertNull(am.basicAuth());
  }

  /** Messages as promtool check config prints them (Prometheus 3.5). */
  @Test
  void errors() {
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 3: field foo not found in type config.AlertmanagerConfig",
        error("alerting:\n  alertmanagers:\n  - foo: 1\n"));
    assertEquals("parsing YAML file p.yml: expected Alertmanager api version to be one of [v2]"
        + " but got v1", error("alerting:\n  alertmanagers:\n  - api_version: v1\n"));
    assertEquals("parsing YAML file p.yml: unknown unit \"x\" in duration \"1x\"",
        error("global:\n  evaluation_interval: 1x\n"));
    // Checked as written, before the directory is joined.
    assertEquals("parsing YAML file p.yml: invalid rule file path \"a*/b.yml\"",
        error("rule_files: ['a*/b.yml']\n"));
    assertEquals("parsing YAML file p.yml: relabel configuration for hashmod requires non-zero"
        + " modulus",
        error("alerting:\n  alert_relabel_configs:\n  - action: hashmod\n    target_label: x\n"));
    assertEquals("parsing YAML file p.yml: DNS-SD config must contain at least one SRV record"
        + " name", error("alerting:\n  alertmanagers:\n  - dns_sd_configs: [{}]\n"));
    assertEquals("parsing YAML file p.yml: a port is required in DNS-SD configs for all record"
        + " types except SRV",
        error("alerting:\n  alertmanagers:\n  - dns_sd_configs: [{names: [x], type: A}]\n"));
    assertEquals("parsing YAML file p.yml: invalid DNS-SD records type TXT",
        error("alerting:\n  alertmanagers:\n  - dns_sd_configs: [{names: [x], type: TXT}]\n"));
    assertEquals("parsing YAML file p.yml: path name \"a.txt\" is not valid for file discovery",
        error("alerting:\n  alertmanagers:\n  - file_sd_configs: [{files: [a.txt]}]\n"));
    assertEquals("parsing YAML file p.yml: at most one of basic_auth, authorization, oauth2, &"
        + " sigv4 must be configured", error("alerting:\n  alertmanagers:\n"
        + "  - sigv4: {region: x}\n    basic_auth: {username: u}\n"));
    // promtool 3.5's text (2.x named bearer_token instead).
    assertEquals("parsing YAML file p.yml: at most one of basic_auth, oauth2 & authorization must"
        + " be configured", error("alerting:\n  alertmanagers:\n"
        + "  - oauth2: {client_id: a, token_url: 'http://t/'}\n    basic_auth: {username: u}\n"));
  }

  @Test
  void otherDiscoveryAndClientSettingsAreAcceptedAndNamed() throws Exception {
    PrometheusConfig c = ConfigLoader.parse("alerting:\n  alertmanagers:\n"
        + "  - kubernetes_sd_configs: [{role: pod}]\n"
        + "    oauth2: {client_id: a, client_secret: b, token_url: 'http://t/'}\n"
        + "    proxy_url: http://proxy:3128\n"
        + "    http_headers: {X-A: {values: [v1, v2]}}\n"
        + "    file_sd_configs: [{files: [am/*.json], refresh_interval: 10s}]\n"
        + "    dns_sd_configs: [{names: [am.example], type: A, port: 9093}]\n"
        + "storage:\n  tsdb:\n    retention: {time: 1d, size: 1GB, percentage: 0.5}\n", "p.yml",
        dir);
    assertEquals(List.of("alerting.alertmanagers[].kubernetes_sd_configs"),
        c.unsupportedSettings());
    AlertmanagerConfig am = c.alerting().alertmanagers().get(0);
    assertEquals(new OAuth2Config("a", "b", null, List.of(), "http://t/", Map.of(),
        TlsConfig.NONE, null), am.oauth2());
    assertEquals("http://proxy:3128", am.proxyUrl());
    assertEquals(List.of("v1", "v2"), am.httpHeaders().get("X-A").values());
    assertEquals(new FileSdConfig(List.of(dir.resolve("am/*.json").toString()), 10_000),
        am.fileSdConfigs().get(0));
    assertEquals(new DnsSdConfig(List.of("am.example"), "A", 9093, 30_000),
        am.dnsSdConfigs().get(0));
    assertEquals(new StorageConfig.RetentionConfig(86_400_000L, 1L << 30, 0.5),
        c.storage().retention());
    assertEquals(null, ConfigLoader.parse("", "p.yml").storage().retention());
  }

  private String error(String yaml) {
    return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "p.yml", dir))
        .getMessage();
  }

  @Test
  void ruleFileGlobs() throws Exception {
    Path rules = Files.createDirectories(dir.resolve("rules"));
    Files.writeString(rules.resolve("b.yml"), "");
    Files.writeString(rules.resolve("a.yml"), "");
    Files.writeString(rules.resolve("c.txt"), "");
    Files.writeString(dir.resolve("single.yml"), "");
    PrometheusConfig c = ConfigLoader.parse(
        "rule_files: ['rules/*.yml', 'single.yml', 'missing.yml', 'rules/[ab].y?l']\n",
        "p.yml", dir);
    assertEquals(List.of(rules.resolve("a.yml").toString(), rules.resolve("b.yml").toString(),
        dir.resolve("single.yml").toString(), rules.resolve("a.yml").toString(),
        rules.resolve("b.yml").toString()), c.expandRuleFiles());
  }
}
