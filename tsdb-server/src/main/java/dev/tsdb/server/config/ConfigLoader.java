package dev.tsdb.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.rules.config.GlobalConfig;
import dev.tsdb.rules.config.RulesConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads prometheus.yml. {@code global}, {@code rule_files} and {@code alerting} are used (the rule
 * and alerting parts are parsed by the rules module's loader, see {@link TsdbConfig#rules()}); the
 * other top-level sections Prometheus knows (scrape_configs, remote_write, ...) are accepted and
 * reported as ignored, so one file can serve both servers. Unknown top-level keys are errors, as
 * in Prometheus.
 */
public final class ConfigLoader {
  /** Top-level keys of Prometheus's config that we parse. */
  static final Set<String> SUPPORTED = Set.of("global", "storage", "rule_files", "alerting");
  /** Top-level keys Prometheus knows that we accept and ignore for now. */
  static final Set<String> KNOWN = Set.of("global", "runtime", "scrape_configs",
      "scrape_config_files", "rule_files", "alerting", "remote_write", "remote_read", "storage",
      "tracing", "otlp");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private ConfigLoader() {}

  public static TsdbConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("open " + file + ": " + e.getMessage(), e);
    }
    // As Prometheus joins them: relative to the config file's directory as given on the
    // command line, so a relative --config.file gives relative rule file names in the API.
    Path dir = file.getParent() == null ? Path.of("") : file.getParent();
    return parse(text, file.toString(), dir);
  }

  /** Parses without a directory: relative rule files and TLS files stay relative to the cwd. */
  public static TsdbConfig parse(String text, String name) throws ConfigException {
    return parse(text, name, null);
  }

  /**
   * Parses a config document; {@code configDir} is what relative paths in rule_files and alerting
   * resolve against (Prometheus uses the config file's directory).
   */
  @SuppressWarnings("unchecked")
  public static TsdbConfig parse(String text, String name, Path configDir)
      throws ConfigException {
    Object doc;
    try {
      doc = text.isBlank() ? Map.of() : YAML.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new ConfigException("parsing YAML file " + name + ": "
          + e.getOriginalMessage().replace('\n', ' '), e);
    }
    if (doc == null) {
      doc = Map.of();
    }
    if (!(doc instanceof Map)) {
      throw new ConfigException("parsing YAML file " + name + ": not a mapping");
    }
    Map<String, Object> raw = (Map<String, Object>) doc;
    List<String> ignored = new ArrayList<>();
    for (String key : raw.keySet()) {
      if (!KNOWN.contains(key)) {
        throw new ConfigException("parsing YAML file " + name + ": field " + key
            + " not found in type config.plain");
      }
      if (!SUPPORTED.contains(key) && raw.get(key) != null) {
        ignored.add(key);
      }
    }
    RulesConfig rules = parseRules(text, name, configDir);
    TsdbConfig.Global global = parseGlobal(raw.get("global"), name, rules.global());
    return new TsdbConfig(global, raw, List.copyOf(ignored), render(global, raw), rules);
  }

  /** global.evaluation_interval/external_labels/rule_query_offset, rule_files and alerting. */
  private static RulesConfig parseRules(String text, String name, Path configDir)
      throws ConfigException {
    try {
      return dev.tsdb.rules.config.ConfigLoader.parse(text, configDir);
    } catch (dev.tsdb.rules.config.ConfigException e) {
      throw new ConfigException("parsing YAML file " + name + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static TsdbConfig.Global parseGlobal(Object node, String name, GlobalConfig rules)
      throws ConfigException {
    Map<String, String> ext = new LinkedHashMap<>();
    rules.externalLabels().forEach(ext::put);
    if (node == null) {
      return new TsdbConfig.Global(TsdbConfig.Global.DEFAULT.scrapeIntervalMs(),
          TsdbConfig.Global.DEFAULT.scrapeTimeoutMs(), rules.evaluationIntervalMs(), ext,
          rules.ruleQueryOffsetMs());
    }
    if (!(node instanceof Map)) {
      throw new ConfigException("parsing YAML file " + name + ": global must be a mapping");
    }
    Map<String, Object> g = (Map<String, Object>) node;
    long scrape = duration(g, "scrape_interval", 60_000, name);
    long timeout = duration(g, "scrape_timeout", Math.min(10_000, scrape), name);
    if (timeout > scrape) {
      throw new ConfigException("parsing YAML file " + name
          + ": global scrape timeout greater than scrape interval");
    }
    // evaluation_interval, external_labels and rule_query_offset come from the rules loader.
    return new TsdbConfig.Global(scrape, timeout, rules.evaluationIntervalMs(), ext,
        rules.ruleQueryOffsetMs());
  }

  private static long duration(Map<String, Object> g, String key, long dflt, String name)
      throws ConfigException {
    Object v = g.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      return ModelDuration.parseMillis(String.valueOf(v));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("parsing YAML file " + name + ": " + e.getMessage()
          + " (global." + key + ")");
    }
  }

  /** The effective config as YAML: global with defaults filled in, other sections as given. */
  static String render(TsdbConfig.Global g, Map<String, Object> raw) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> global = new LinkedHashMap<>();
    global.put("scrape_interval", ModelDuration.format(g.scrapeIntervalMs()));
    global.put("scrape_timeout", ModelDuration.format(g.scrapeTimeoutMs()));
    global.put("evaluation_interval", ModelDuration.format(g.evaluationIntervalMs()));
    if (g.ruleQueryOffsetMs() != 0) {
      global.put("rule_query_offset", ModelDuration.format(g.ruleQueryOffsetMs()));
    }
    if (!g.externalLabels().isEmpty()) {
      global.put("external_labels", g.externalLabels());
    }
    out.put("global", global);
    raw.forEach((k, v) -> {
      if (!k.equals("global") && v != null) {
        out.put(k, v);
      }
    });
    try {
      return YAML.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
