package dev.tsdb.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(List.of("scrape_configs", "rule_files"), c.ignoredSections());
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
}
