package dev.tsdb.rules.config;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.rules.relabel.RelabelConfig;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.rules.yaml.YamlNode;
import dev.tsdb.rules.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the rule and alerting parts of a prometheus.yml: {@code global.evaluation_interval},
 * {@code global.external_labels}, {@code global.rule_query_offset}, {@code rule_files} and
 * {@code alerting}. Other top-level sections (and other global settings) belong to other
 * subsystems and are ignored here; inside {@code alerting} unknown fields are errors, as
 * Prometheus's strict config parsing makes them. Relative paths (rule files, TLS and credential
 * files) are resolved against the config file's directory.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Accepted inside an alertmanager config but without effect here. */
  private static final Set<String> IGNORED_AM_FIELDS = Set.of("follow_redirects",
      "enable_http2");

  public static RulesConfig load(Path file) throws ConfigException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("couldn't load configuration (--config.file=\"" + file + "\"): "
          + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    return parse(content, dir);
  }

  public static RulesConfig parse(String yaml, Path configDir) throws ConfigException {
    YamlNode root;
    try {
      root = YamlReader.read(yaml);
    } catch (YamlReader.YamlSyntaxException e) {
      throw new ConfigException(e.getMessage(), e);
    }
    Decoder d = new Decoder(configDir);
    RulesConfig c = d.top(root);
    if (!d.errors.isEmpty()) {
      throw new ConfigException("yaml: unmarshal errors:\n  " + String.join("\n  ", d.errors));
    }
    return c;
  }

  private static final class Decoder {
    final Path dir;
    final List<String> errors = new ArrayList<>();

    Decoder(Path dir) {
      this.dir = dir;
    }

    static boolean isNull(YamlNode n) {
      return n == null || (n instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL);
    }

    void typeError(YamlNode n, String into) {
      String v = n instanceof YamlNode.Scalar s ? " `" + s.text() + "`" : "";
      errors.add("line " + n.line() + ": cannot unmarshal " + n.tag() + v + " into " + into);
    }

    void unknown(YamlNode.Entry e, String type) {
      errors.add("line " + e.key().line() + ": field " + e.key().text() + " not found in type "
          + type);
    }

    List<YamlNode.Entry> entries(YamlNode n, String type) {
      if (isNull(n)) {
        return List.of();
      }
      if (!(n instanceof YamlNode.Mapping m)) {
        typeError(n, type);
        return List.of();
      }
      List<YamlNode.Entry> e = m.entries();
      for (int i = 0; i < e.size(); i++) {
        for (int j = i + 1; j < e.size(); j++) {
          if (e.get(i).key().text().equals(e.get(j).key().text())) {
            errors.add("line " + e.get(j).key().line() + ": mapping key \""
                + e.get(j).key().text() + "\" already defined at line " + e.get(i).key().line());
          }
        }
      }
      return e;
    }

    List<YamlNode> items(YamlNode n, String type) {
      if (isNull(n)) {
        return List.of();
      }
      if (!(n instanceof YamlNode.Sequence s)) {
        typeError(n, type);
        return List.of();
      }
      return s.items();
    }

    String string(YamlNode n) {
      if (isNull(n)) {
        return "";
      }
      if (n instanceof YamlNode.Scalar s) {
        return s.text();
      }
      typeError(n, "string");
      return "";
    }

    boolean bool(YamlNode n) {
      if (isNull(n)) {
        return false;
      }
      if (n instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.BOOL) {
        return s.text().equalsIgnoreCase("true");
      }
      typeError(n, "bool");
      return false;
    }

    long duration(YamlNode n) throws ConfigException {
      String s = string(n);
      try {
        return ModelDuration.parseMillis(s);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(e.getMessage());
      }
    }

    Map<String, String> stringMap(YamlNode n, String type) {
      Map<String, String> out = new LinkedHashMap<>();
      for (YamlNode.Entry e : entries(n, type)) {
        out.put(e.key().text(), string(e.value()));
      }
      return out;
    }

    List<String> strings(YamlNode n) {
      List<String> out = new ArrayList<>();
      for (YamlNode item : items(n, "[]string")) {
        out.add(string(item));
      }
      return out;
    }

    String path(String p) {
      if (p == null || p.isEmpty() || dir == null) {
        return p == null || p.isEmpty() ? null : p;
      }
      return dir.resolve(p).toString();
    }

    RulesConfig top(YamlNode root) throws ConfigException {
      GlobalConfig global = GlobalConfig.DEFAULT;
      List<String> ruleFiles = new ArrayList<>();
      AlertingConfig alerting = AlertingConfig.NONE;
      for (YamlNode.Entry e : entries(root, "config.plain")) {
        switch (e.key().text()) {
          case "global" -> global = global(e.value());
          case "rule_files" -> {
            for (String f : strings(e.value())) {
              String resolved = path(f);
              RuleFiles.validate(resolved);
              ruleFiles.add(resolved);
            }
          }
          case "alerting" -> alerting = alerting(e.value());
          default -> {
            // scrape_configs, remote_write, storage, ...: other subsystems' business.
          }
        }
      }
      return new RulesConfig(global, ruleFiles, alerting, dir);
    }

    GlobalConfig global(YamlNode n) throws ConfigException {
      long eval = GlobalConfig.DEFAULT.evaluationIntervalMs();
      long offset = 0;
      Labels ext = Labels.EMPTY;
      for (YamlNode.Entry e : entries(n, "config.GlobalConfig")) {
        switch (e.key().text()) {
          case "evaluation_interval" -> eval = duration(e.value());
          case "rule_query_offset" -> offset = duration(e.value());
          case "external_labels" -> {
            LabelsBuilder b = new LabelsBuilder();
            for (Map.Entry<String, String> l : stringMap(e.value(), "labels.Labels").entrySet()) {
              if (l.getKey().isEmpty() || l.getKey().equals("__name__")) {
                throw new ConfigException("\"" + l.getKey() + "\" is not a valid label name");
              }
              b.set(l.getKey(), l.getValue());
            }
            ext = b.build();
          }
          default -> {
            // scrape settings etc.
          }
        }
      }
      return new GlobalConfig(eval, ext, offset);
    }

    AlertingConfig alerting(YamlNode n) throws ConfigException {
      List<RelabelConfig> relabel = List.of();
      List<AlertmanagerConfig> ams = new ArrayList<>();
      for (YamlNode.Entry e : entries(n, "config.AlertingConfig")) {
        switch (e.key().text()) {
          case "alert_relabel_configs" -> relabel = relabelConfigs(e.value());
          case "alertmanagers" -> {
            for (YamlNode item : items(e.value(), "config.AlertmanagerConfigs")) {
              ams.add(alertmanager(item));
            }
          }
          default -> unknown(e, "config.AlertingConfig");
        }
      }
      return new AlertingConfig(relabel, ams);
    }

    AlertmanagerConfig alertmanager(YamlNode n) throws ConfigException {
      String scheme = "http";
      String pathPrefix = "/";
      long timeout = 10_000;
      String apiVersion = "v2";
      BasicAuth basic = null;
      Authorization auth = null;
      TlsConfig tls = TlsConfig.NONE;
      List<StaticConfig> statics = new ArrayList<>();
      List<RelabelConfig> relabel = List.of();
      List<RelabelConfig> alertRelabel = List.of();
      for (YamlNode.Entry e : entries(n, "config.AlertmanagerConfig")) {
        String k = e.key().text();
        switch (k) {
          case "scheme" -> scheme = string(e.value());
          case "path_prefix" -> pathPrefix = string(e.value());
          case "timeout" -> timeout = duration(e.value());
          case "api_version" -> apiVersion = string(e.value());
          case "basic_auth" -> basic = basicAuth(e.value());
          case "authorization" -> auth = authorization(e.value());
          case "tls_config" -> tls = tls(e.value());
          case "static_configs" -> {
            for (YamlNode item : items(e.value(), "[]*targetgroup.Group")) {
              List<String> targets = List.of();
              Map<String, String> labels = Map.of();
              for (YamlNode.Entry se : entries(item, "targetgroup.Group")) {
                switch (se.key().text()) {
                  case "targets" -> targets = strings(se.value());
                  case "labels" -> labels = stringMap(se.value(), "model.LabelSet");
                  default -> unknown(se, "targetgroup.Group");
                }
              }
              statics.add(new StaticConfig(targets, labels));
            }
          }
          case "relabel_configs" -> relabel = relabelConfigs(e.value());
          case "alert_relabel_configs" -> alertRelabel = relabelConfigs(e.value());
          default -> {
            if (IGNORED_AM_FIELDS.contains(k)) {
              continue;
            }
            if (k.endsWith("_sd_configs") || k.equals("oauth2") || k.equals("sigv4")
                || k.startsWith("proxy") || k.equals("no_proxy") || k.equals("http_headers")) {
              throw new ConfigException("alertmanager config field " + k + " is not supported");
            }
            unknown(e, "config.AlertmanagerConfig");
          }
        }
      }
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new ConfigException("unsupported alertmanager scheme \"" + scheme + "\"");
      }
      if (!apiVersion.equals("v2")) {
        throw new ConfigException("expected Alertmanager api version to be one of [v2] but got "
            + apiVersion);
      }
      if (basic != null && auth != null) {
        throw new ConfigException("at most one of basic_auth, oauth2, bearer_token & "
            + "bearer_token_file must be configured");
      }
      return new AlertmanagerConfig(scheme, pathPrefix, timeout, apiVersion, basic, auth, tls,
          statics, relabel, alertRelabel);
    }

    BasicAuth basicAuth(YamlNode n) throws ConfigException {
      String user = "";
      String pass = null;
      String passFile = null;
      for (YamlNode.Entry e : entries(n, "config.BasicAuth")) {
        switch (e.key().text()) {
          case "username" -> user = string(e.value());
          case "password" -> pass = string(e.value());
          case "password_file" -> passFile = path(string(e.value()));
          default -> unknown(e, "config.BasicAuth");
        }
      }
      if (pass != null && !pass.isEmpty() && passFile != null) {
        throw new ConfigException(
            "at most one of basic_auth password & password_file must be configured");
      }
      return new BasicAuth(user, pass, passFile);
    }

    Authorization authorization(YamlNode n) throws ConfigException {
      String type = "Bearer";
      String cred = null;
      String credFile = null;
      for (YamlNode.Entry e : entries(n, "config.Authorization")) {
        switch (e.key().text()) {
          case "type" -> type = string(e.value());
          case "credentials" -> cred = string(e.value());
          case "credentials_file" -> credFile = path(string(e.value()));
          default -> unknown(e, "config.Authorization");
        }
      }
      if (type.equalsIgnoreCase("basic")) {
        throw new ConfigException(
            "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
      }
      if (cred != null && credFile != null) {
        throw new ConfigException("at most one of authorization credentials & credentials_file "
            + "must be configured");
      }
      return new Authorization(type.isEmpty() ? "Bearer" : type, cred, credFile);
    }

    TlsConfig tls(YamlNode n) {
      String ca = null;
      String cert = null;
      String key = null;
      String serverName = null;
      boolean insecure = false;
      for (YamlNode.Entry e : entries(n, "config.TLSConfig")) {
        switch (e.key().text()) {
          case "ca_file" -> ca = path(string(e.value()));
          case "cert_file" -> cert = path(string(e.value()));
          case "key_file" -> key = path(string(e.value()));
          case "server_name" -> serverName = string(e.value());
          case "insecure_skip_verify" -> insecure = bool(e.value());
          case "min_version", "max_version" -> string(e.value());
          default -> unknown(e, "config.TLSConfig");
        }
      }
      return new TlsConfig(ca, cert, key, serverName, insecure);
    }

    List<RelabelConfig> relabelConfigs(YamlNode n) throws ConfigException {
      List<RelabelConfig> out = new ArrayList<>();
      for (YamlNode item : items(n, "[]*relabel.Config")) {
        List<String> src = null;
        String sep = null;
        String regex = null;
        Long modulus = null;
        String target = null;
        String repl = null;
        String action = null;
        for (YamlNode.Entry e : entries(item, "relabel.Config")) {
          switch (e.key().text()) {
            case "source_labels" -> src = strings(e.value());
            case "separator" -> sep = string(e.value());
            case "regex" -> regex = string(e.value());
            case "modulus" -> {
              try {
                modulus = Long.parseUnsignedLong(string(e.value()));
              } catch (NumberFormatException ex) {
                typeError(e.value(), "uint64");
              }
            }
            case "target_label" -> target = string(e.value());
            case "replacement" -> repl = string(e.value());
            case "action" -> action = string(e.value());
            default -> unknown(e, "relabel.Config");
          }
        }
        try {
          out.add(RelabelConfig.of(src, sep, regex, modulus, target, repl, action));
        } catch (IllegalArgumentException ex) {
          throw new ConfigException(ex.getMessage());
        }
      }
      return out;
    }
  }
}
