package dev.tsdb.rules.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sections the server reads (global with its scrape settings, storage), the ignored sections,
 * the effective YAML, and Prometheus's messages for invalid files.
 */
class ConfigSectionsTest {
  @Test
  void readsGlobalAndListsIgnoredSections() throws ConfigException {
    PrometheusConfig c = ConfigLoader.parse("global:\n  scrape_interval: 15s\n  external_labels:\n"
        + "    region: eu\nscrape_configs:\n  - job_name: a\nrule_files: [x.yml]\n", "p.yml");
    assertEquals(15_000, c.global().scrapeIntervalMs());
    assertEquals(10_000, c.global().scrapeTimeoutMs());
    assertEquals(60_000, c.global().evaluationIntervalMs());
    assertEquals(Labels.of("region", "eu"), c.global().externalLabels());
    assertEquals(List.of("scrape_configs"), c.ignoredSections());
    assertTrue(c.yaml().startsWith("global:\n  scrape_interval: 15s\n  scrape_timeout: 10s\n"
        + "  evaluation_interval: 1m\n"), c.yaml());
  }

  /** Checked with Prometheus 3.5's /api/v1/status/config: ints resolve as ParseInt(s, 0, 64). */
  @Test
  void effectiveConfigPrintsIntsAsGoReadsThem() throws ConfigException {
    PrometheusConfig c = ConfigLoader.parse("scrape_configs:\n  - job_name: a\n"
        + "    sample_limit: 0777\n    label_limit: 0x10\n    target_limit: 1_000\n", "p.yml");
    assertTrue(c.yaml().contains("- job_name: a\n  sample_limit: 511\n  label_limit: 16\n"
        + "  target_limit: 1000\n"), c.yaml());
  }

  /**
   * Checked with Prometheus 3.5's /api/v1/status/config: label values that would read back as
   * something else than a string are quoted (a Thanos sidecar decodes external_labels from it).
   */
  @Test
  void effectiveConfigQuotesStringsThatReadAsOtherTypes() throws ConfigException {
    PrometheusConfig c = ConfigLoader.parse("global:\n  external_labels:\n    a: \"0\"\n"
        + "    b: \"1.5\"\n    c: \"true\"\n    d: \"null\"\n    e: \"0x10\"\n    f: \"1e3\"\n"
        + "    g: \"-7\"\n    h: \"x1\"\n    i: \".5\"\n", "p.yml");
    assertTrue(c.yaml().contains("  external_labels:\n    a: \"0\"\n    b: \"1.5\"\n"
        + "    c: \"true\"\n    d: \"null\"\n    e: \"0x10\"\n    f: \"1e3\"\n    g: \"-7\"\n"
        + "    h: x1\n    i: \".5\"\n"), c.yaml());
  }

  /**
   * Checked with Prometheus 3.5's /api/v1/status/config on the same file: secrets print as
   * {@code <secret>} (an empty one not at all), wherever they are; other fields as given.
   */
  @Test
  void effectiveConfigHidesSecrets() throws ConfigException {
    PrometheusConfig c = ConfigLoader.parse("alerting:\n  alertmanagers:\n"
        + "    - basic_auth: {username: u, password: hunter2}\n"
        + "      static_configs: [{targets: ['localhost:9093']}]\n"
        + "    - authorization: {credentials: tok}\n"
        + "      tls_config: {cert: certdata, key: keydata, key_file: ''}\n"
        + "      static_configs: [{targets: ['localhost:9094']}]\n"
        + "remote_write:\n"
        + "  - url: http://localhost:1/api/v1/write\n"
        + "    oauth2: {client_id: c, client_secret: s3cr3t, token_url: http://localhost:1/t}\n"
        + "    headers: {X-Scope-OrgID: t1}\n"
        + "  - url: http://localhost:2/api/v1/write\n"
        + "    basic_auth: {username: u, password: ''}\n"
        + "    proxy_url: http://proxy:3128\n"
        + "    proxy_connect_header: {Proxy-Authorization: [abc]}\n", "p.yml");
    String y = c.yaml();
    for (String secret : new String[] {"hunter2", "tok\n", "keydata", "s3cr3t", "abc"}) {
      assertFalse(y.contains(secret), secret + " shown:\n" + y);
    }
    assertTrue(y.contains("  - basic_auth:\n      username: u\n      password: <secret>\n"), y);
    assertTrue(y.contains("credentials: <secret>\n"), y);
    assertTrue(y.contains("key: <secret>\n"), y);
    assertTrue(y.contains("    client_id: c\n    client_secret: <secret>\n"), y);
    assertTrue(y.contains("  basic_auth:\n    username: u\n  proxy_url:"), y);
    assertTrue(y.contains("  proxy_connect_header:\n    Proxy-Authorization:\n    - <secret>\n"),
        y);
    assertTrue(y.contains("X-Scope-OrgID: t1"), y);
  }

  /** promtool 3.5's answers to the same tls_config sections. */
  @Test
  void inlineTlsMaterialIsCheckedAsPrometheusChecksIt() {
    String[][] cases = {
        {"ca: x, ca_file: /etc/hosts", "at most one of ca, ca_file & ca_ref must be configured"},
        {"cert: x, cert_file: /etc/hosts",
            "at most one of cert, cert_file & cert_ref must be configured"},
        {"cert: x", "exactly one of key or key_file must be configured when a client"
            + " certificate is configured"},
        {"key: x", "exactly one of cert or cert_file must be configured when a client key is"
            + " configured"},
        {"cert: x, key: x, key_file: /etc/hosts",
            "at most one of key and key_file must be configured"}};
    for (String[] c : cases) {
      ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
          "alerting:\n  alertmanagers:\n    - tls_config: {" + c[0] + "}\n"
          + "      static_configs: [{targets: ['a:1']}]\n", "t.yml"));
      assertEquals("parsing YAML file t.yml: " + c[1], e.getMessage(), c[0]);
    }
  }

  @Test
  void emptyFileIsDefaults() throws ConfigException {
    PrometheusConfig c = ConfigLoader.parse("", "p.yml");
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
  void readsRulesAndAlerting() throws ConfigException {
    PrometheusConfig c = ConfigLoader.parse("global:\n  evaluation_interval: 5s\n"
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
    assertEquals(Labels.of("dc", "x"), c.global().externalLabels());
    assertEquals(List.of("/etc/prom/rules/*.yml", "/abs/one.yml"), c.ruleFiles());
    assertEquals(1, c.alerting().alertRelabelConfigs().size());
    AlertmanagerConfig am = c.alerting().alertmanagers().get(0);
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
        ConfigLoader.load(file).ruleFiles());
    assertEquals(List.of("a.yml"),
        ConfigLoader.parse("rule_files: [a.yml]\n", "p.yml").ruleFiles());
  }

  @Test
  void prometheusMessages() {
    // As promtool check config (Prometheus 3.5) reports them.
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 1: field nope not found in type config.plain", error("nope: 1\n"));
    assertEquals("parsing YAML file p.yml: not a valid duration string: \"soon\"",
        error("global:\n  scrape_interval: soon\n"));
    assertEquals("parsing YAML file p.yml: global scrape timeout greater than scrape interval",
        error("global:\n  scrape_interval: 5s\n  scrape_timeout: 10s\n"));
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 2: field foo not found in type config.plain", error("global:\n  foo: 1\n"));
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 3: field scrape_interval already set in type config.plain",
        error("global:\n  scrape_interval: 1s\n  scrape_interval: 2s\n"));
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 1: cannot unmarshal !!int `5` into config.plain", error("global: 5\n"));
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 2: cannot unmarshal !!int `5` into map[string]string",
        error("global:\n  external_labels: 5\n"));
    assertEquals("parsing YAML file p.yml: \"\" is not a valid label name",
        error("global:\n  external_labels:\n    \"\": x\n"));
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 2: field nope not found in type config.plain",
        error("alerting:\n  nope: 1\n"));
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 3: field nope not found in type relabel.plain",
        error("alerting:\n  alert_relabel_configs:\n  - nope: 1\n"));
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 3: field nope not found in type config.Authorization",
        error("alerting:\n  alertmanagers:\n  - authorization: {nope: 1}\n"));
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 4: field scheme already set in type config.AlertmanagerConfig",
        error("alerting:\n  alertmanagers:\n  - scheme: http\n    scheme: https\n"));
    assertEquals("parsing YAML file p.yml: yaml: unmarshal errors:\n"
        + "  line 1: cannot unmarshal !!int `5` into []string", error("rule_files: 5\n"));
    assertEquals("parsing YAML file p.yml: empty or null alert relabeling rule",
        error("alerting:\n  alert_relabel_configs:\n    -\n"));
    assertEquals("parsing YAML file p.yml: empty or null Alertmanager target relabeling rule",
        error("alerting:\n  alertmanagers:\n    - relabel_configs:\n        -\n"));
    // The parser's own words differ from Go's; the form is the same.
    String syntax = error("global: [\n");
    assertTrue(syntax.startsWith("parsing YAML file p.yml: yaml: line "), syntax);
  }

  @Test
  void storageSection() throws ConfigException {
    assertEquals(List.of(), ConfigLoader.parse("storage:\n  tsdb: {}\n", "t.yml")
        .ignoredSections());
    assertEquals(new StorageConfig(30 * 60_000, 100_000), ConfigLoader.parse(
        "storage:\n  tsdb:\n    out_of_order_time_window: 30m\n", "t.yml").storage());
    assertEquals(new StorageConfig(0, 10), ConfigLoader.parse(
        "storage:\n  exemplars:\n    max_exemplars: 10\n", "t.yml").storage());
    assertEquals(StorageConfig.DEFAULT, ConfigLoader.parse(
        "storage:\n  exemplars: {}\n", "t.yml").storage());
    assertEquals(StorageConfig.DEFAULT, ConfigLoader.parse("", "t.yml").storage());
    assertEquals(100_000, StorageConfig.DEFAULT.maxExemplars());
    assertEquals(0, ConfigLoader.parse(
        "storage:\n  exemplars:\n    max_exemplars: -1\n", "t.yml").storage().maxExemplars());
    assertEquals("parsing YAML file t.yml: yaml: unmarshal errors:\n"
        + "  line 3: field max not found in type config.ExemplarsConfig",
        error("storage:\n  exemplars:\n    max: 1\n"));
    assertEquals("parsing YAML file t.yml: yaml: unmarshal errors:\n"
        + "  line 3: cannot unmarshal !!str `lots` into int64",
        error("storage:\n  exemplars:\n    max_exemplars: lots\n"));
    assertEquals("parsing YAML file t.yml: yaml: unmarshal errors:\n"
        + "  line 3: field nope not found in type config.plain",
        error("storage:\n  tsdb:\n    nope: 1\n"));
    assertEquals("parsing YAML file t.yml: not a valid duration string: \"-5m\"",
        error("storage:\n  tsdb:\n    out_of_order_time_window: -5m\n"));
    assertEquals("parsing YAML file t.yml: yaml: unmarshal errors:\n"
        + "  line 1: cannot unmarshal !!int `5` into config.StorageConfig",
        error("storage: 5\n"));
  }

  @Test
  void missingFileIsReportedAsPrometheusDoes() {
    Path missing = Path.of("target", "no-such-dir", "prometheus.yml");
    assertEquals("open " + missing + ": no such file or directory",
        assertThrows(ConfigException.class, () -> ConfigLoader.load(missing)).getMessage());
  }

  @Test
  void emptyValuesMeanDefaults() throws ConfigException {
    PrometheusConfig c = ConfigLoader.parse("global:\nscrape_configs:\n", "p.yml");
    assertEquals(GlobalConfig.DEFAULT, c.global());
    assertEquals(List.of(), c.ignoredSections());
    assertEquals(PrometheusConfig.defaults().yaml(), c.yaml());
  }

  private static String error(String yaml) {
    String name = yaml.startsWith("storage") ? "t.yml" : "p.yml";
    return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, name))
        .getMessage();
  }

  @Test
  void otlpSection() throws ConfigException {
    assertEquals(OtlpConfig.DEFAULT, ConfigLoader.parse("global: {}\n", "t.yml").otlp());
    assertEquals(OtlpConfig.DEFAULT, ConfigLoader.parse("otlp: {}\n", "t.yml").otlp());
    OtlpConfig c = ConfigLoader.parse("""
        otlp:
          translation_strategy: NoUTF8EscapingWithSuffixes
          promote_resource_attributes: [" k8s.cluster.name ", service.version]
          keep_identifying_resource_attributes: true
          convert_histograms_to_nhcb: true
          promote_scope_metadata: true
        """, "t.yml").otlp();
    assertEquals(new OtlpConfig(OtlpTranslationStrategy.NoUTF8EscapingWithSuffixes,
        List.of("k8s.cluster.name", "service.version"), false, List.of(), true, true, true, true,
        true), c);
    assertEquals(List.of(), ConfigLoader.parse("otlp:\n  promote_all_resource_attributes: true\n"
        + "  ignore_resource_attributes: [a]\n", "t.yml").ignoredSections());
    assertEquals("parsing YAML file t.yml: unsupported OTLP translation strategy \"Invalid\"",
        assertThrows(ConfigException.class, () -> ConfigLoader.parse(
            "otlp:\n  translation_strategy: Invalid\n", "t.yml")).getMessage());
    assertEquals("parsing YAML file t.yml: yaml: unmarshal errors:\n"
        + "  line 2: field nope not found in type config.plain",
        assertThrows(ConfigException.class, () -> ConfigLoader.parse("otlp:\n  nope: 1\n",
            "t.yml")).getMessage());
  }
}
