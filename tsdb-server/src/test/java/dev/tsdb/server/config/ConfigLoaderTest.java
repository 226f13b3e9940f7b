package dev.tsdb.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.rules.config.AlertmanagerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  @Test
  void readsGlobalAndListsIgnoredSections() throws ConfigException {
    TsdbConfig c = ConfigLoader.parse("global:\n  scrape_interval: 15s\n  external_labels:\n"
        + "    region: eu\nscrape_configs:\n  - job_name: a\nrule_files: [x.yml]\n", "p.yml");
    assertEquals(15_000, c.global().scrapeIntervalMs());
    assertEquals(10_000, c.global().scrapeTimeoutMs());
    assertEquals(60_000, c.global().evaluationIntervalMs());
    assertEquals(Map.of("region", "eu"), c.global().externalLabels());
    assertEquals(List.of("scrape_configs"), c.ignoredSections());
    assertTrue(c.yaml().startsWith("global:\n  scrape_interval: 15s\n  scrape_timeout: 10s\n"
        + "  evaluation_interval: 1m\n"), c.yaml());
  }

  @Test
  void emptyFileIsDefaults() throws ConfigException {
    TsdbConfig c = ConfigLoader.parse("", "p.yml");
    assertEquals("global:\n  scrape_interval: 1m\n  scrape_timeout: 10s\n"
        + "  evaluation_interval: 1m\n", c.yaml());
    assertEquals(List.of(), c.ignoredSections());
  }

  @Test
  void rejectsUnknownKeysAndBadValues() {
    assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse("nope: 1\n", "p.yml"))
        .getMessage().contains("field nope not found"));
    assertThrows(ConfigException.class,
        () -> ConfigLoader.parse("global:\n  scrape_interval: soon\n", "p.yml"));
    assertThrows(ConfigException.class, () -> ConfigLoader.parse("global: [\n", "p.yml"));
    assertThrows(ConfigException.class, () -> ConfigLoader.parse(
        "global:\n  scrape_interval: 5s\n  scrape_timeout: 10s\n", "p.yml"));
  }

  @Test
  void delegatesRulesAndAlertingToTheRulesLoader() throws ConfigException {
    TsdbConfig c = ConfigLoader.parse("global:\n  evaluation_interval: 5s\n"
        + "  rule_query_offset: 30s\n  external_labels: {dc: x}\n"
        + "rule_files: [rules/*.yml, /abs/one.yml]\n"
        + "alerting:\n  alert_relabel_configs:\n    - action: labeldrop\n      regex: tmp\n"
        + "  alertmanagers:\n    - scheme: https\n      path_prefix: /am\n      timeout: 3s\n"
        + "      api_version: v2\n      basic_auth: {username: u, password: p}\n"
        + "      tls_config: {insecure_skip_verify: true}\n"
        + "      static_configs:\n        - targets: ['127.0.0.1:9093']\n",
        "p.yml", Path.of("/etc/prom"));
    assertEquals(List.of(), c.ignoredSections());
    assertEquals(5_000, c.global().evaluationIntervalMs());
    assertEquals(30_000, c.global().ruleQueryOffsetMs());
    assertEquals(Map.of("dc", "x"), c.global().externalLabels());
    assertEquals(5_000, c.rules().global().evaluationIntervalMs());
    assertEquals(30_000, c.rules().global().ruleQueryOffsetMs());
    assertEquals("x", c.rules().global().externalLabels().get("dc"));
    assertEquals(List.of("/etc/prom/rules/*.yml", "/abs/one.yml"), c.rules().ruleFiles());
    assertEquals(1, c.rules().alerting().alertRelabelConfigs().size());
    AlertmanagerConfig am = c.rules().alerting().alertmanagers().get(0);
    assertEquals("https", am.scheme());
    assertEquals("/am", am.pathPrefix());
    assertEquals(3_000, am.timeoutMs());
    assertEquals("u", am.basicAuth().username());
    assertTrue(am.tls().insecureSkipVerify());
    assertEquals(List.of("127.0.0.1:9093"), am.staticConfigs().get(0).targets());
    assertTrue(c.yaml().contains("  rule_query_offset: 30s\n"), c.yaml());
  }

  @Test
  void reportsRulesAndAlertingErrorsAsConfigErrors() {
    assertEquals("parsing YAML file p.yml: invalid rule file path \"a/*/b.yml\"",
        assertThrows(ConfigException.class,
            () -> ConfigLoader.parse("rule_files: ['a/*/b.yml']\n", "p.yml")).getMessage());
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
            + "  line 3: field nope not found in type config.AlertmanagerConfig",
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(
            "alerting:\n  alertmanagers:\n    - nope: 1\n", "p.yml")).getMessage());
    assertThrows(ConfigException.class, () -> ConfigLoader.parse(
        "alerting:\n  alertmanagers:\n    - api_version: v1\n", "p.yml"));
  }

  @Test
  void ruleFilesAreJoinedToTheConfigDirectoryAsGiven() throws Exception {
    // Prometheus joins relative rule_files to the config file's directory as given on the
    // command line, so the API shows them relative when --config.file is relative.
    Path dir = Path.of("target", "config-loader-test");
    java.nio.file.Files.createDirectories(dir);
    Path file = dir.resolve("prometheus.yml");
    java.nio.file.Files.writeString(file, "rule_files: [r/*.yml, /abs/x.yml]\n");
    assertEquals(List.of("target/config-loader-test/r/*.yml", "/abs/x.yml"),
        ConfigLoader.load(file).rules().ruleFiles());
    assertEquals(List.of("a.yml"),
        ConfigLoader.parse("rule_files: [a.yml]\n", "p.yml").rules().ruleFiles());
  }
}
