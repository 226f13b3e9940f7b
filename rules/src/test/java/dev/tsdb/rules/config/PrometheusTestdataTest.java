package dev.tsdb.rules.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Prometheus's own config test files (shared/prometheus-config, from its config/testdata): every
 * file it accepts loads here, and the invalid files whose problem lies in a section we read are
 * refused with Prometheus's message (promtool 3.5's, or for the storage.tsdb fields added after
 * 3.5 the message of Prometheus's source).
 */
class PrometheusTestdataTest {
  /** Invalid files whose problem is in a section we read, with promtool 3.5's message. */
  private static final Map<String, String> REFUSED = Map.ofEntries(
      Map.entry("tsdb_retention_time.bad.yml", "not a valid duration string: \"-1h\""),
      Map.entry("tsdb_retention_size.bad.yml",
          "'storage.tsdb.retention.size' must be greater than or equal to 0, got -1GiB"),
      Map.entry("tsdb_retention_percentage.bad.yml",
          "'storage.tsdb.retention.percentage' must be in the range [0, 100], got 101"),
      Map.entry("tsdb_retention_percentage_negative.bad.yml",
          "'storage.tsdb.retention.percentage' must be in the range [0, 100], got -1"),
      Map.entry("tsdb_chunk_encoding_floats.bad.yml", chunkEncoding("xor3")),
      Map.entry("tsdb_chunk_encoding_floats_wrong_case.bad.yml", chunkEncoding("XOR")),
      Map.entry("tsdb_chunk_encoding_floats_wrong_case_xor2.bad.yml", chunkEncoding("XOR2")),
      Map.entry("config_with_deprecated_am_api_config.yml",
          "expected Alertmanager api version to be one of [v2] but got v1"),      Map.entry("rules.bad.yml", "invalid rule file path \"my/*/rule\""),
      Map.entry("unknown_global_attr.bad.yml", "yaml: unmarshal errors:\n"
          + "  line 2: field nonexistent_field not found in type config.plain"),
      Map.entry("section_key_dup.bad.yml", "yaml: unmarshal errors:\n"
          + "  line 4: field scrape_configs already set in type config.plain"),
      Map.entry("static_config.bad.yml", "yaml: unmarshal errors:\n"
          + "  line 1: field targets not found in type config.plain\n"
          + "  line 2: field labels not found in type config.plain"),
      Map.entry("empty_alert_relabel_config.bad.yml", "empty or null alert relabeling rule"),
      Map.entry("empty_alertmanager_relabel_config.bad.yml",
          "empty or null Alertmanager target relabeling rule"),
      Map.entry("otlp_promote_all_resource_attributes.bad.yml",
          "'promote_all_resource_attributes' and"
          + " 'promote_resource_attributes' cannot be configured simultaneously"),
      Map.entry("otlp_ignore_resource_attributes_without_promote_all.bad.yml",
          "'ignore_resource_attributes' cannot be configured unless"
          + " 'promote_all_resource_attributes' is true"),
      Map.entry("otlp_sanitize_ignore_resource_attributes.bad.yml",
          "invalid 'ignore_resource_attributes':"
          + " duplicated ignored OTel resource attribute \"k8s.job.name\"\n"
          + "empty ignored OTel resource attribute"),
      Map.entry("otlp_sanitize_promote_resource_attributes.bad.yml",
          "invalid 'promote_resource_attributes': duplicated promoted OTel resource attribute"
          + " \"k8s.job.name\"\nempty promoted OTel resource attribute"));

  private static String chunkEncoding(String got) {
    return "'storage.tsdb.chunk_encoding.floats' must be 'xor' or 'xor2', or the field must be"
        + " omitted entirely, got \"" + got + "\"";
  }

  /** shared/ beside the repository (CI), or this machine's copy. */
  private static Path testdata() {
    for (Path p : List.of(Path.of("../../shared/prometheus-config"),
        Path.of("../shared/prometheus-config"), Path.of("/work/shared/prometheus-config"))) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Test
  void everyAcceptedFileLoads() throws IOException {
    Path dir = testdata();
    assumeTrue(dir != null, "Prometheus config test files not available");
    List<String> failures = new ArrayList<>();
    int loaded = 0;
    for (Path f : files(dir)) {
      String name = f.getFileName().toString();
      if (name.endsWith(".bad.yml") || name.endsWith(".incompatible.yml")
          || !acceptedByPrometheus(name)) {
        continue;
      }
      try {
        ConfigLoader.load(f);
        loaded++;
      } catch (ConfigException e) {
        failures.add(name + ": " + e.getMessage());
      }
    }
    assertEquals(List.of(), failures);
    assertTrue(loaded >= 50, "only " + loaded + " files loaded");
  }

  /**
   * The files Prometheus's tests load successfully: *.good.yml and the ones loaded with special
   * options (agent mode, validation schemes), all of which are valid as configs.
   */
  private static boolean acceptedByPrometheus(String name) {
    return name.endsWith(".good.yml") || name.startsWith("agent_mode.")
        || name.startsWith("scrape_config_") || name.equals("otlp_empty.yml");
  }

  @Test
  void invalidFilesInOurSectionsAreRefusedAsPrometheusDoes() throws IOException {
    Path dir = testdata();
    assumeTrue(dir != null, "Prometheus config test files not available");
    for (Map.Entry<String, String> e : REFUSED.entrySet()) {
      Path f = dir.resolve(e.getKey());
      ConfigException ex = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
          () -> ConfigLoader.load(f), e.getKey());
      assertEquals("parsing YAML file " + f + ": " + e.getValue(), ex.getMessage());
    }
  }
}
