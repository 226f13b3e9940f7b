package dev.tsdb.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tsdb.api.params.ModelDuration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads prometheus.yml. Only {@code global} is used so far; the other top-level sections
 * Prometheus knows (scrape_configs, rule_files, alerting, remote_write, ...) are accepted and
 * reported as ignored, so one file can serve both servers. Unknown top-level keys are errors, as
 * in Prometheus.
 */
public final class ConfigLoader {
  /** Top-level keys of Prometheus's config that we parse. */
  static final Set<String> SUPPORTED = Set.of("global", "storage");
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
    return parse(text, file.toString());
  }

  @SuppressWarnings("unchecked")
  public static TsdbConfig parse(String text, String name) throws ConfigException {
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
    TsdbConfig.Global global = parseGlobal(raw.get("global"), name);
    return new TsdbConfig(global, raw, List.copyOf(ignored), render(global, raw));
  }

  @SuppressWarnings("unchecked")
  private static TsdbConfig.Global parseGlobal(Object node, String name) throws ConfigException {
    if (node == null) {
      return TsdbConfig.Global.DEFAULT;
    }
    if (!(node instanceof Map)) {
      throw new ConfigException("parsing YAML file " + name + ": global must be a mapping");
    }
    Map<String, Object> g = (Map<String, Object>) node;
    long scrape = duration(g, "scrape_interval", 60_000, name);
    long timeout = duration(g, "scrape_timeout", Math.min(10_000, scrape), name);
    long eval = duration(g, "evaluation_interval", 60_000, name);
    if (timeout > scrape) {
      throw new ConfigException("parsing YAML file " + name
          + ": global scrape timeout greater than scrape interval");
    }
    Map<String, String> ext = new LinkedHashMap<>();
    Object el = g.get("external_labels");
    if (el instanceof Map<?, ?> m) {
      m.forEach((k, v) -> ext.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    }
    return new TsdbConfig.Global(scrape, timeout, eval, ext);
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
