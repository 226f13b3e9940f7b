package dev.tsdb.rules.config;

import dev.tsdb.rules.relabel.RelabelConfig;
import dev.tsdb.rules.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the {@code alerting:} section: global alert relabelling and the Alertmanagers (with
 * their HTTP client settings). Unknown fields are errors, as in Prometheus's strict decoding;
 * service discovery other than {@code static_configs} is refused as not supported. Relative file
 * names (TLS and credential files) are joined to the config file's directory.
 */
final class AlertingDecoder {
  /** Accepted inside an alertmanager config but without effect here. */
  private static final Set<String> IGNORED_AM_FIELDS = Set.of("follow_redirects",
      "enable_http2");
  /** The Go type Prometheus names for a static_configs entry. */
  private static final String STATIC_CONFIG_TYPE = "struct { Targets []string "
      + "\"yaml:\\\"targets\\\"\"; Labels model.LabelSet \"yaml:\\\"labels\\\"\" }";

  private final YamlDecoder d;

  AlertingDecoder(YamlDecoder d) {
    this.d = d;
  }

  AlertingConfig alerting(YamlNode n) throws ConfigException {
    List<RelabelConfig> relabel = List.of();
    List<AlertmanagerConfig> ams = new ArrayList<>();
    for (YamlNode.Entry e : d.entries(n, "config.plain")) {
      switch (e.key().text()) {
        case "alert_relabel_configs" -> relabel = relabelConfigs(e.value(), "alert");
        case "alertmanagers" -> {
          for (YamlNode item : d.items(e.value(), "config.AlertmanagerConfigs")) {
            AlertmanagerConfig am = alertmanager(item);
            if (am != null) {
              ams.add(am);
            }
          }
        }
        default -> d.unknown(e, "config.plain");
      }
    }
    return new AlertingConfig(relabel, ams);
  }

  private AlertmanagerConfig alertmanager(YamlNode n) throws ConfigException {
    int errorsBefore = d.errors.size();
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
    for (YamlNode.Entry e : d.entries(n, "config.AlertmanagerConfig")) {
      String k = e.key().text();
      switch (k) {
        case "scheme" -> scheme = d.string(e.value());
        case "path_prefix" -> pathPrefix = d.string(e.value());
        case "timeout" -> timeout = d.duration(e.value(), 10_000);
        case "api_version" -> apiVersion = d.string(e.value());
        case "basic_auth" -> basic = basicAuth(e.value());
        case "authorization" -> auth = authorization(e.value());
        case "tls_config" -> tls = tls(e.value());
        case "static_configs" -> {
          for (YamlNode item : d.items(e.value(), "[]*targetgroup.Group")) {
            List<String> targets = List.of();
            Map<String, String> labels = Map.of();
            for (YamlNode.Entry se : d.entries(item, STATIC_CONFIG_TYPE)) {
              switch (se.key().text()) {
                case "targets" -> targets = d.strings(se.value());
                case "labels" -> labels = d.stringMap(se.value(), "model.LabelSet");
                default -> d.unknown(se, STATIC_CONFIG_TYPE);
              }
            }
            statics.add(new StaticConfig(targets, labels));
          }
        }
        case "relabel_configs" ->
            relabel = relabelConfigs(e.value(), "Alertmanager target");
        case "alert_relabel_configs" ->
            alertRelabel = relabelConfigs(e.value(), "Alertmanager alert");
        default -> {
          if (IGNORED_AM_FIELDS.contains(k)) {
            continue;
          }
          if (k.endsWith("_sd_configs") || k.equals("oauth2") || k.equals("sigv4")
              || k.startsWith("proxy") || k.equals("no_proxy") || k.equals("http_headers")) {
            throw new ConfigException("alertmanager config field " + k + " is not supported");
          }
          d.unknown(e, "config.AlertmanagerConfig");
        }
      }
    }
    if (d.errors.size() > errorsBefore) {
      return null; // not validated; the load fails with the decoding errors
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

  private BasicAuth basicAuth(YamlNode n) throws ConfigException {
    String user = "";
    String pass = null;
    String passFile = null;
    for (YamlNode.Entry e : d.entries(n, "config.plain")) {
      switch (e.key().text()) {
        case "username" -> user = d.string(e.value());
        case "password" -> pass = d.string(e.value());
        case "password_file" -> passFile = d.path(d.string(e.value()));
        default -> d.unknown(e, "config.plain");
      }
    }
    if (pass != null && !pass.isEmpty() && passFile != null) {
      throw new ConfigException(
          "at most one of basic_auth password & password_file must be configured");
    }
    return new BasicAuth(user, pass, passFile);
  }

  private Authorization authorization(YamlNode n) throws ConfigException {
    String type = "Bearer";
    String cred = null;
    String credFile = null;
    for (YamlNode.Entry e : d.entries(n, "config.Authorization")) {
      switch (e.key().text()) {
        case "type" -> type = d.string(e.value());
        case "credentials" -> cred = d.string(e.value());
        case "credentials_file" -> credFile = d.path(d.string(e.value()));
        default -> d.unknown(e, "config.Authorization");
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

  private TlsConfig tls(YamlNode n) {
    String ca = null;
    String cert = null;
    String key = null;
    String serverName = null;
    boolean insecure = false;
    for (YamlNode.Entry e : d.entries(n, "config.plain")) {
      switch (e.key().text()) {
        case "ca_file" -> ca = d.path(d.string(e.value()));
        case "cert_file" -> cert = d.path(d.string(e.value()));
        case "key_file" -> key = d.path(d.string(e.value()));
        case "server_name" -> serverName = d.string(e.value());
        case "insecure_skip_verify" -> insecure = d.bool(e.value());
        case "min_version", "max_version" -> d.string(e.value());
        default -> d.unknown(e, "config.plain");
      }
    }
    return new TlsConfig(ca, cert, key, serverName, insecure);
  }

  /** {@code what} names the rules in the message for an empty entry, as Prometheus does. */
  private List<RelabelConfig> relabelConfigs(YamlNode n, String what) throws ConfigException {
    List<RelabelConfig> out = new ArrayList<>();
    for (YamlNode item : d.items(n, "[]*relabel.Config")) {
      if (YamlDecoder.isNull(item)) {
        throw new ConfigException("empty or null " + what + " relabeling rule");
      }
      List<String> src = null;
      String sep = null;
      String regex = null;
      Long modulus = null;
      String target = null;
      String repl = null;
      String action = null;
      int errorsBefore = d.errors.size();
      for (YamlNode.Entry e : d.entries(item, "relabel.plain")) {
        switch (e.key().text()) {
          case "source_labels" -> src = d.strings(e.value());
          case "separator" -> sep = d.string(e.value());
          case "regex" -> regex = d.string(e.value());
          case "modulus" -> {
            try {
              modulus = Long.parseUnsignedLong(d.string(e.value()));
            } catch (NumberFormatException ex) {
              d.typeError(e.value(), "uint64");
            }
          }
          case "target_label" -> target = d.string(e.value());
          case "replacement" -> repl = d.string(e.value());
          case "action" -> action = d.string(e.value());
          default -> d.unknown(e, "relabel.plain");
        }
      }
      if (d.errors.size() > errorsBefore) {
        continue; // as in Go, a rule that did not decode is not validated
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
