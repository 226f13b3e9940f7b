package dev.tsdb.rules.config;

import dev.tsdb.rules.relabel.RelabelConfig;
import dev.tsdb.rules.yaml.YamlNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the {@code alerting:} section: global alert relabelling and the Alertmanagers (with
 * their HTTP client settings). Unknown fields are errors, as in Prometheus's strict decoding.
 * Targets come from static_configs, file_sd_configs and dns_sd_configs; the other
 * {@code *_sd_configs}, sigv4 and the proxy settings besides proxy_url are accepted and
 * recorded in {@link YamlDecoder#unsupported}. Relative file names (TLS, credential and
 * discovery files) are joined to the config file's directory.
 */
final class AlertingDecoder {
  /** Accepted inside an alertmanager config but without effect here. */
  private static final Set<String> IGNORED_AM_FIELDS = Set.of("follow_redirects",
      "enable_http2");
  /** HTTP client settings Prometheus 3 allows that the notifier does not apply. */
  private static final Set<String> UNSUPPORTED_AM_FIELDS = Set.of("sigv4", "no_proxy",
      "proxy_from_environment", "proxy_connect_header");
  /** A file_sd file name: a {@code *} only in the last element, a JSON or YAML extension. */
  private static final java.util.regex.Pattern FILE_SD_NAME = java.util.regex.Pattern.compile(
      "^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");
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
    List<FileSdConfig> fileSd = new ArrayList<>();
    List<DnsSdConfig> dnsSd = new ArrayList<>();
    String proxyUrl = null;
    Map<String, AlertmanagerConfig.HttpHeader> headers = Map.of();
    OAuth2Config oauth2 = null;
    boolean sigv4 = false;
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
        case "oauth2" -> oauth2 = oauth2(e.value());
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
        case "file_sd_configs" -> {
          for (YamlNode item : d.items(e.value(), "[]*file.SDConfig")) {
            fileSd.add(fileSd(item));
          }
        }
        case "dns_sd_configs" -> {
          for (YamlNode item : d.items(e.value(), "[]*dns.SDConfig")) {
            dnsSd.add(dnsSd(item));
          }
        }
        case "proxy_url" -> proxyUrl = emptyToNull(d.string(e.value()));
        case "http_headers" -> headers = httpHeaders(e.value());
        case "relabel_configs" ->
            relabel = relabelConfigs(e.value(), "Alertmanager target");
        case "alert_relabel_configs" ->
            alertRelabel = relabelConfigs(e.value(), "Alertmanager alert");
        default -> {
          if (IGNORED_AM_FIELDS.contains(k)) {
            continue;
          }
          if (k.endsWith("_sd_configs") || UNSUPPORTED_AM_FIELDS.contains(k)) {
            if (!YamlDecoder.isNull(e.value())) {
              d.unsupported.add("alerting.alertmanagers[]." + k);
              sigv4 |= k.equals("sigv4");
            }
            continue;
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
    if ((basic != null ? 1 : 0) + (auth != null ? 1 : 0) + (oauth2 != null ? 1 : 0) > 1) {
      throw new ConfigException(
          "at most one of basic_auth, oauth2 & authorization must be configured");
    }
    if (sigv4 && (basic != null || auth != null || oauth2 != null)) {
      throw new ConfigException(
          "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured");
    }
    return new AlertmanagerConfig(scheme, pathPrefix, timeout, apiVersion, basic, auth, tls,
        statics, relabel, alertRelabel, fileSd, dnsSd, proxyUrl, headers, oauth2);
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private FileSdConfig fileSd(YamlNode n) throws ConfigException {
    List<String> files = List.of();
    long refresh = FileSdConfig.DEFAULT_REFRESH_MS;
    int errorsBefore = d.errors.size();
    for (YamlNode.Entry e : d.entries(n, "file.plain")) {
      switch (e.key().text()) {
        case "files" -> files = d.strings(e.value());
        case "refresh_interval" -> refresh = d.duration(e.value(), refresh);
        default -> d.unknown(e, "file.plain");
      }
    }
    if (d.errors.size() > errorsBefore) {
      return new FileSdConfig(List.of(), refresh);
    }
    if (files.isEmpty()) {
      throw new ConfigException(
          "file service discovery config must contain at least one path name");
    }
    List<String> joined = new ArrayList<>();
    for (String f : files) {
      if (!FILE_SD_NAME.matcher(f).matches()) {
        throw new ConfigException("path name \"" + f + "\" is not valid for file discovery");
      }
      joined.add(d.path(f));
    }
    return new FileSdConfig(joined, refresh);
  }

  private DnsSdConfig dnsSd(YamlNode n) throws ConfigException {
    List<String> names = List.of();
    String type = "SRV";
    long port = 0;
    long refresh = DnsSdConfig.DEFAULT_REFRESH_MS;
    int errorsBefore = d.errors.size();
    for (YamlNode.Entry e : d.entries(n, "dns.plain")) {
      switch (e.key().text()) {
        case "names" -> names = d.strings(e.value());
        case "type" -> type = d.string(e.value());
        case "port" -> port = d.int64(e.value());
        case "refresh_interval" -> refresh = d.duration(e.value(), refresh);
        default -> d.unknown(e, "dns.plain");
      }
    }
    if (d.errors.size() > errorsBefore) {
      return new DnsSdConfig(List.of(), type, 0, refresh);
    }
    if (names.isEmpty()) {
      throw new ConfigException("DNS-SD config must contain at least one SRV record name");
    }
    switch (type.toUpperCase(java.util.Locale.ROOT)) {
      case "SRV" -> { }
      case "A", "AAAA", "MX", "NS" -> {
        if (port == 0) {
          throw new ConfigException(
              "a port is required in DNS-SD configs for all record types except SRV");
        }
      }
      default -> throw new ConfigException("invalid DNS-SD records type " + type);
    }
    return new DnsSdConfig(names, type, (int) port, refresh);
  }

  /** http_headers: name to {values, secrets, files}. */
  private Map<String, AlertmanagerConfig.HttpHeader> httpHeaders(YamlNode n) {
    Map<String, AlertmanagerConfig.HttpHeader> out = new java.util.LinkedHashMap<>();
    for (YamlNode.Entry e : d.entries(n, "config.Headers")) {
      List<String> values = List.of();
      List<String> secrets = List.of();
      List<String> files = new ArrayList<>();
      for (YamlNode.Entry h : d.entries(e.value(), "config.Header")) {
        switch (h.key().text()) {
          case "values" -> values = d.strings(h.value());
          case "secrets" -> secrets = d.strings(h.value());
          case "files" -> d.strings(h.value()).forEach(f -> files.add(d.path(f)));
          default -> d.unknown(h, "config.Header");
        }
      }
      out.put(e.key().text(), new AlertmanagerConfig.HttpHeader(values, secrets, files));
    }
    return out;
  }

  BasicAuth basicAuth(YamlNode n) throws ConfigException {
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

  Authorization authorization(YamlNode n) throws ConfigException {
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

  /**
   * {@code oauth2} with Prometheus's checks. Only the client_credentials grant is implemented:
   * another grant_type, the JWT client-certificate settings, client_secret_ref and the proxy
   * settings besides proxy_url are accepted and listed as unsupported. Null for a null node.
   */
  OAuth2Config oauth2(YamlNode n) throws ConfigException {
    if (YamlDecoder.isNull(n)) {
      return null;
    }
    String id = "";
    String secret = "";
    String secretFile = null;
    boolean secretRef = false;
    List<String> scopes = List.of();
    String tokenUrl = "";
    Map<String, String> params = Map.of();
    TlsConfig tls = TlsConfig.NONE;
    String proxy = null;
    boolean noProxy = false;
    for (YamlNode.Entry e : d.entries(n, "config.plain")) {
      String k = e.key().text();
      switch (k) {
        case "client_id" -> id = d.string(e.value());
        case "client_secret" -> secret = d.string(e.value());
        case "client_secret_file" -> secretFile = emptyToNull(d.string(e.value()));
        case "client_secret_ref" -> secretRef = !d.string(e.value()).isEmpty();
        case "scopes" -> scopes = d.strings(e.value());
        case "token_url" -> tokenUrl = d.string(e.value());
        case "endpoint_params" -> params = d.stringMap(e.value(), "map[string]string");
        case "tls_config" -> tls = tls(e.value());
        case "proxy_url" -> proxy = emptyToNull(d.string(e.value()));
        case "grant_type" -> {
          String g = d.string(e.value());
          if (!g.isEmpty() && !g.equals("client_credentials")) {
            d.unsupported.add("oauth2.grant_type=" + g);
          }
        }
        case "no_proxy" -> {
          noProxy = !d.string(e.value()).isEmpty();
          d.unsupported.add("oauth2.no_proxy");
        }
        case "proxy_from_environment", "proxy_connect_header", "client_certificate_key_id",
            "client_certificate_key", "client_certificate_key_file",
            "client_certificate_key_ref", "signature_algorithm", "iss", "audience", "claims" -> {
          if (!YamlDecoder.isNull(e.value())) {
            d.unsupported.add("oauth2." + k);
          }
        }
        default -> d.unknown(e, "config.plain");
      }
    }
    if (id.isEmpty()) {
      throw new ConfigException("oauth2 client_id must be configured");
    }
    if (tokenUrl.isEmpty()) {
      throw new ConfigException("oauth2 token_url must be configured");
    }
    if ((secret.isEmpty() ? 0 : 1) + (secretFile == null ? 0 : 1) + (secretRef ? 1 : 0) > 1) {
      throw new ConfigException("at most one of oauth2 client_secret, client_secret_file &"
          + " client_secret_ref must be configured using grant-type=client_credentials");
    }
    if (noProxy && proxy == null) {
      throw new ConfigException("if no_proxy is configured, proxy_url must also be configured");
    }
    return new OAuth2Config(id, secret, secretFile == null ? null : d.path(secretFile), scopes,
        tokenUrl, params, tls, proxy);
  }

  TlsConfig tls(YamlNode n) throws ConfigException {
    String caFile = null;
    String certFile = null;
    String keyFile = null;
    String ca = null;
    String cert = null;
    String key = null;
    String serverName = null;
    boolean insecure = false;
    for (YamlNode.Entry e : d.entries(n, "config.plain")) {
      switch (e.key().text()) {
        case "ca_file" -> caFile = nonEmpty(d.path(d.string(e.value())));
        case "cert_file" -> certFile = nonEmpty(d.path(d.string(e.value())));
        case "key_file" -> keyFile = nonEmpty(d.path(d.string(e.value())));
        case "ca" -> ca = nonEmpty(d.string(e.value()));
        case "cert" -> cert = nonEmpty(d.string(e.value()));
        case "key" -> key = nonEmpty(d.string(e.value()));
        case "server_name" -> serverName = d.string(e.value());
        case "insecure_skip_verify" -> insecure = d.bool(e.value());
        case "min_version", "max_version" -> d.string(e.value());
        default -> d.unknown(e, "config.plain");
      }
    }
    // Prometheus's (common/config TLSConfig.Validate) checks and texts.
    if (ca != null && caFile != null) {
      throw new ConfigException("at most one of ca, ca_file & ca_ref must be configured");
    }
    if (cert != null && certFile != null) {
      throw new ConfigException("at most one of cert, cert_file & cert_ref must be configured");
    }
    if (key != null && keyFile != null) {
      throw new ConfigException("at most one of key and key_file must be configured");
    }
    boolean hasCert = cert != null || certFile != null;
    boolean hasKey = key != null || keyFile != null;
    if (hasCert && !hasKey) {
      throw new ConfigException("exactly one of key or key_file must be configured when a"
          + " client certificate is configured");
    }
    if (hasKey && !hasCert) {
      throw new ConfigException("exactly one of cert or cert_file must be configured when a"
          + " client key is configured");
    }
    return new TlsConfig(caFile, certFile, keyFile, serverName, insecure, ca, cert, key);
  }

  private static String nonEmpty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** {@code what} names the rules in the message for an empty entry, as Prometheus does. */
  List<RelabelConfig> relabelConfigs(YamlNode n, String what) throws ConfigException {
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
