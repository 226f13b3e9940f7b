package dev.tsdb.rules.config;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.rules.yaml.YamlNode;
import dev.tsdb.rules.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one prometheus.yml loader: parses the file once into a {@link PrometheusConfig} from which
 * each subsystem reads its section. Used sections are {@code global}, {@code rule_files},
 * {@code alerting}, {@code storage}, {@code otlp} and {@code remote_write}; the other top-level
 * sections Prometheus knows (scrape_configs, remote_read, ...) are accepted and listed as ignored, so a file written for
 * Prometheus loads here. Unknown or repeated fields are errors, with Prometheus's messages
 * ({@code parsing YAML file NAME: ...}).
 */
public final class ConfigLoader {
  /** Top-level keys of Prometheus's config that we use. */
  static final Set<String> SUPPORTED = Set.of("global", "storage", "rule_files", "alerting",
      "otlp", "remote_write");
  /** Top-level keys Prometheus knows; those not {@link #SUPPORTED} are ignored for now. */
  static final Set<String> KNOWN = Set.of("global", "runtime", "scrape_configs",
      "scrape_config_files", "rule_files", "alerting", "remote_write", "remote_read", "storage",
      "tracing", "otlp");
  /** Prometheus's other global settings (scrape limits and protocols, log files): no effect. */
  static final Set<String> IGNORED_GLOBAL = Set.of("scrape_protocols",
      "scrape_failure_log_file", "body_size_limit", "sample_limit", "target_limit",
      "label_limit", "label_name_length_limit", "label_value_length_limit",
      "keep_dropped_targets", "metric_name_validation_scheme", "metric_name_escaping_scheme",
      "always_scrape_classic_histograms", "convert_classic_histograms_to_nhcb",
      "scrape_native_histograms", "extra_scrape_metrics");

  private ConfigLoader() {}

  /**
   * Reads and parses a file. Relative paths in it are joined to the file's directory as given
   * (as Prometheus does, so a relative --config.file gives relative rule file names in the API).
   */
  public static PrometheusConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("open " + file + ": no such file or directory", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException("open " + file + ": permission denied", e);
    } catch (IOException e) {
      throw new ConfigException("open " + file + ": " + e.getMessage(), e);
    }
    Path dir = file.getParent() == null ? Path.of("") : file.getParent();
    return parse(text, file.toString(), dir);
  }

  /** Parses without a directory: relative paths stay relative to the working directory. */
  public static PrometheusConfig parse(String text, String name) throws ConfigException {
    return parse(text, name, null);
  }

  /**
   * Parses a config document named {@code name} (for messages); relative paths in rule_files and
   * alerting are joined to {@code configDir} unless it is null.
   */
  public static PrometheusConfig parse(String text, String name, Path configDir)
      throws ConfigException {
    try {
      YamlNode root;
      try {
        root = YamlReader.read(text);
      } catch (YamlReader.YamlSyntaxException e) {
        throw new ConfigException(e.getMessage(), e);
      }
      YamlDecoder d = new YamlDecoder(configDir);
      PrometheusConfig c = new Sections(d, configDir).top(root);
      if (!d.errors.isEmpty()) {
        throw new ConfigException("yaml: unmarshal errors:\n  " + String.join("\n  ", d.errors));
      }
      return c;
    } catch (ConfigException e) {
      throw new ConfigException("parsing YAML file " + name + ": " + e.getMessage(), e);
    }
  }

  /** The top level, global, rule_files and storage. */
  private static final class Sections {
    final YamlDecoder d;
    final Path dir;

    Sections(YamlDecoder d, Path dir) {
      this.d = d;
      this.dir = dir;
    }

    PrometheusConfig top(YamlNode root) throws ConfigException {
      GlobalConfig global = GlobalConfig.DEFAULT;
      List<String> ruleFiles = new ArrayList<>();
      AlertingConfig alerting = AlertingConfig.NONE;
      StorageConfig storage = StorageConfig.DEFAULT;
      OtlpConfig otlp = OtlpConfig.DEFAULT;
      List<RemoteWriteConfig> remoteWrite = List.of();
      List<String> ignored = new ArrayList<>();
      for (YamlNode.Entry e : d.entries(root, "config.plain")) {
        String key = e.key().text();
        switch (key) {
          case "global" -> global = global(e.value());
          case "rule_files" -> ruleFiles = ruleFiles(e.value());
          case "alerting" -> alerting = new AlertingDecoder(d).alerting(e.value());
          case "storage" -> storage = storage(e.value());
          case "otlp" -> otlp = new OtlpConfigDecoder(d).otlp(e.value());
          case "remote_write" -> remoteWrite = new RemoteWriteDecoder(d).remoteWrites(e.value());
          default -> {
            if (!KNOWN.contains(key)) {
              d.unknown(e, "config.plain");
            } else if (!YamlDecoder.isNull(e.value())) {
              ignored.add(key);
            }
          }
        }
      }
      if (!storage.floatChunkEncoding().isEmpty()) {
        d.unsupported.add("storage.tsdb.chunk_encoding");
      }
      if (storage.staleSeriesCompactionThreshold() != 0) {
        d.unsupported.add("storage.tsdb.stale_series_compaction_threshold");
      }
      return new PrometheusConfig(global, ruleFiles, alerting, storage, otlp, ignored,
          EffectiveConfigYaml.render(global, root), dir, List.copyOf(d.unsupported), remoteWrite);
    }

    /** Patterns are checked as written, then joined to the config's directory. */
    List<String> ruleFiles(YamlNode n) throws ConfigException {
      List<String> out = new ArrayList<>();
      for (String f : d.strings(n)) {
        RuleFiles.validate(f);
        out.add(d.path(f));
      }
      return out;
    }

    GlobalConfig global(YamlNode n) throws ConfigException {
      GlobalConfig dflt = GlobalConfig.DEFAULT;
      long scrape = 0;
      long timeout = 0;
      long eval = 0;
      long offset = 0;
      String queryLog = "";
      Labels ext = Labels.EMPTY;
      for (YamlNode.Entry e : d.entries(n, "config.plain")) {
        String key = e.key().text();
        switch (key) {
          case "scrape_interval" -> scrape = d.duration(e.value(), 0);
          case "scrape_timeout" -> timeout = d.duration(e.value(), 0);
          case "evaluation_interval" -> eval = d.duration(e.value(), 0);
          case "rule_query_offset" -> offset = d.duration(e.value(), 0);
          case "external_labels" -> ext = externalLabels(e.value());
          case "query_log_file" -> queryLog = d.string(e.value());
          default -> {
            if (!IGNORED_GLOBAL.contains(key)) {
              d.unknown(e, "config.plain");
            }
          }
        }
      }
      // As Prometheus: 0 means the default; the default timeout is capped by the interval.
      if (scrape == 0) {
        scrape = dflt.scrapeIntervalMs();
      }
      if (timeout == 0) {
        timeout = Math.min(dflt.scrapeTimeoutMs(), scrape);
      }
      if (timeout > scrape) {
        throw new ConfigException("global scrape timeout greater than scrape interval");
      }
      if (eval == 0) {
        eval = dflt.evaluationIntervalMs();
      }
      return new GlobalConfig(scrape, timeout, eval, ext, offset, queryLogFile(queryLog));
    }

    /**
     * As Prometheus: a relative name is joined to the config's directory; "/dev/stdout" and
     * "/dev/stderr" stay as written.
     */
    String queryLogFile(String name) {
      if (name.isEmpty() || name.equals("/dev/stdout") || name.equals("/dev/stderr")) {
        return name;
      }
      return d.path(name);
    }

    Labels externalLabels(YamlNode n) throws ConfigException {
      LabelsBuilder b = new LabelsBuilder();
      for (Map.Entry<String, String> l : d.stringMap(n, "map[string]string").entrySet()) {
        if (l.getKey().isEmpty() || l.getKey().equals("__name__")) {
          throw new ConfigException("\"" + l.getKey() + "\" is not a valid label name");
        }
        b.set(l.getKey(), l.getValue());
      }
      return b.build();
    }

    StorageConfig storage(YamlNode n) throws ConfigException {
      TsdbSection tsdb = new TsdbSection();
      int maxExemplars = StorageConfig.DEFAULT_MAX_EXEMPLARS;
      for (YamlNode.Entry e : d.entries(n, "config.StorageConfig")) {
        switch (e.key().text()) {
          case "tsdb" -> tsdb = tsdb(e.value());
          case "exemplars" -> {
            for (YamlNode.Entry x : d.entries(e.value(), "config.ExemplarsConfig")) {
              if (x.key().text().equals("max_exemplars")) {
                // An int64 in Prometheus; 0 or less keeps no exemplars.
                long max = YamlDecoder.isNull(x.value()) ? maxExemplars : d.int64(x.value());
                maxExemplars = (int) Math.max(0, Math.min(Integer.MAX_VALUE, max));
              } else {
                d.unknown(x, "config.ExemplarsConfig");
              }
            }
          }
          default -> d.unknown(e, "config.StorageConfig");
        }
      }
      return new StorageConfig(tsdb.window, maxExemplars, tsdb.retention, tsdb.staleThreshold,
          tsdb.floats);
    }

    /** What storage.tsdb holds while it is decoded. */
    private static final class TsdbSection {
      long window;
      StorageConfig.RetentionConfig retention;
      double staleThreshold;
      String floats = "";
    }

    TsdbSection tsdb(YamlNode n) throws ConfigException {
      TsdbSection t = new TsdbSection();
      for (YamlNode.Entry e : d.entries(n, "config.plain")) {
        switch (e.key().text()) {
          case "out_of_order_time_window" -> t.window = d.duration(e.value(), 0);
          case "stale_series_compaction_threshold" -> t.staleThreshold = d.float64(e.value());
          case "retention" -> t.retention =
              YamlDecoder.isNull(e.value()) ? null : retention(e.value());
          case "chunk_encoding" -> {
            for (YamlNode.Entry c : d.entries(e.value(), "config.ChunkEncodingConfig")) {
              if (c.key().text().equals("floats")) {
                t.floats = d.string(c.value());
              } else {
                d.unknown(c, "config.ChunkEncodingConfig");
              }
            }
          }
          default -> d.unknown(e, "config.plain");
        }
      }
      if (!d.errors.isEmpty()) {
        return t; // as in Go, a section that did not decode is not validated
      }
      if (!t.floats.isEmpty() && !t.floats.equals("xor") && !t.floats.equals("xor2")) {
        throw new ConfigException("'storage.tsdb.chunk_encoding.floats' must be 'xor' or 'xor2',"
            + " or the field must be omitted entirely, got \"" + t.floats + "\"");
      }
      return t;
    }

    StorageConfig.RetentionConfig retention(YamlNode n) throws ConfigException {
      long time = 0;
      long size = 0;
      double pct = 0;
      int errorsBefore = d.errors.size();
      for (YamlNode.Entry e : d.entries(n, "config.plain")) {
        switch (e.key().text()) {
          case "time" -> time = d.duration(e.value(), 0);
          case "size" -> size = d.base2Bytes(e.value());
          case "percentage" -> pct = d.float64(e.value());
          default -> d.unknown(e, "config.plain");
        }
      }
      if (d.errors.size() > errorsBefore) {
        return null;
      }
      if (size < 0) {
        throw new ConfigException("'storage.tsdb.retention.size' must be greater than or equal"
            + " to 0, got " + dev.tsdb.gocompat.Base2Bytes.format(size));
      }
      if (pct < 0 || pct > 100) {
        throw new ConfigException("'storage.tsdb.retention.percentage' must be in the range"
            + " [0, 100], got " + dev.tsdb.gocompat.GoFloat.formatG(pct));
      }
      return new StorageConfig.RetentionConfig(time, size, pct);
    }
  }
}
