package dev.tsdb.server.web;

import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.rules.config.ConfigException;
import dev.tsdb.rules.config.StrictYaml;
import dev.tsdb.rules.yaml.YamlNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the web configuration file's YAML strictly, as exporter-toolkit does (unknown or repeated
 * fields and wrong types are errors), and checks what it checks before any certificate is read:
 * the configurable headers and the bcrypt hashes. Names of the Go types appear in the messages.
 */
final class WebConfigParser {
  private final StrictYaml yaml = new StrictYaml();
  private final Path dir;

  private WebConfigParser(Path dir) {
    this.dir = dir;
  }

  /** Parses {@code text}; relative file names resolve against {@code dir}. */
  static WebConfig parse(String text, Path dir) throws WebConfigException {
    try {
      return new WebConfigParser(dir).config(StrictYaml.parse(text));
    } catch (ConfigException e) {
      throw new WebConfigException(e.getMessage(), e);
    }
  }

  private WebConfig config(YamlNode root) throws ConfigException, WebConfigException {
    WebConfig.Tls tls = WebConfig.Tls.defaults();
    WebConfig.Http http = new WebConfig.Http(true, Map.of());
    WebConfig.RateLimit rate = new WebConfig.RateLimit(0, 0);
    Map<String, String> users = Map.of();
    for (YamlNode.Entry e : yaml.entries(root, "web.Config")) {
      switch (e.key().text()) {
        case "tls_server_config" -> tls = tls(e.value(), tls);
        case "http_server_config" -> http = http(e.value(), http);
        case "rate_limit" -> rate = rateLimit(e.value());
        case "basic_auth_users" -> users = yaml.stringMap(e.value(),
            "map[string]config.Secret");
        default -> yaml.unknown(e, "web.Config");
      }
    }
    yaml.check();
    HeaderPolicy.validate(http.headers());
    for (String hash : users.values()) {
      BcryptHash.checkCost(hash);
    }
    return new WebConfig(tls, http, rate, users);
  }

  private WebConfig.Tls tls(YamlNode n, WebConfig.Tls d) throws WebConfigException {
    String cert = d.cert(), key = d.key(), clientCa = d.clientCa();
    String certFile = d.certFile(), keyFile = d.keyFile(), clientCaFile = d.clientCaFile();
    String clientAuth = d.clientAuthType(), minVersion = d.minVersion();
    String maxVersion = d.maxVersion();
    List<String> ciphers = d.cipherSuites(), curves = d.curvePreferences();
    List<String> sans = d.clientAllowedSans();
    boolean prefer = d.preferServerCipherSuites();
    for (YamlNode.Entry e : yaml.entries(n, "web.TLSConfig")) {
      YamlNode v = e.value();
      switch (e.key().text()) {
        case "cert" -> cert = yaml.string(v);
        case "key" -> key = yaml.string(v);
        case "client_ca" -> clientCa = yaml.string(v);
        case "cert_file" -> certFile = path(yaml.string(v));
        case "key_file" -> keyFile = path(yaml.string(v));
        case "client_ca_file" -> clientCaFile = path(yaml.string(v));
        case "client_auth_type" -> clientAuth = yaml.string(v);
        case "cipher_suites" -> ciphers = known(yaml.strings(v), TlsNames::cipherSuite,
            "unknown cipher: ");
        case "curve_preferences" -> curves = known(yaml.strings(v), TlsNames::namedGroup,
            "unknown curve: ");
        case "min_version" -> minVersion = version(v, minVersion);
        case "max_version" -> maxVersion = version(v, maxVersion);
        case "prefer_server_cipher_suites" -> prefer = yaml.bool(v);
        // A null list stays "not configured"; an empty one is configured (and matches nothing).
        case "client_allowed_sans" -> sans = StrictYaml.isNull(v) ? null : yaml.strings(v);
        default -> yaml.unknown(e, "web.TLSConfig");
      }
    }
    return new WebConfig.Tls(cert, key, clientCa, certFile, keyFile, clientAuth, clientCaFile,
        ciphers, curves, minVersion, maxVersion, prefer, sans);
  }

  private String version(YamlNode v, String current) throws WebConfigException {
    if (StrictYaml.isNull(v)) {
      return current;
    }
    String name = yaml.string(v);
    if (TlsNames.protocol(name) == null) {
      throw new WebConfigException("unknown TLS version: " + name);
    }
    return name;
  }

  private static List<String> known(List<String> names,
      java.util.function.Function<String, String> lookup, String error)
      throws WebConfigException {
    for (String name : names) {
      if (lookup.apply(name) == null) {
        throw new WebConfigException(error + name);
      }
    }
    return List.copyOf(names);
  }

  private WebConfig.Http http(YamlNode n, WebConfig.Http d) {
    boolean http2 = d.http2();
    Map<String, String> headers = d.headers();
    for (YamlNode.Entry e : yaml.entries(n, "web.HTTPConfig")) {
      switch (e.key().text()) {
        case "http2" -> http2 = yaml.bool(e.value());
        case "headers" -> headers = new LinkedHashMap<>(yaml.stringMap(e.value(),
            "map[string]string"));
        default -> yaml.unknown(e, "web.HTTPConfig");
      }
    }
    return new WebConfig.Http(http2, headers);
  }

  private WebConfig.RateLimit rateLimit(YamlNode n) throws ConfigException {
    long burst = 0;
    long interval = 0;
    for (YamlNode.Entry e : yaml.entries(n, "web.RateLimiterConfig")) {
      switch (e.key().text()) {
        case "burst" -> burst = yaml.int64(e.value());
        case "interval" -> interval = durationNanos(e.value());
        default -> yaml.unknown(e, "web.RateLimiterConfig");
      }
    }
    return new WebConfig.RateLimit(burst, interval);
  }

  /**
   * A Go time.Duration field: an integer is nanoseconds, a string a duration. Strings are read
   * with Prometheus's duration syntax (1m30s, 500ms), which covers the usual spellings; Go's
   * fractional forms (1.5s) are refused.
   */
  private long durationNanos(YamlNode v) throws ConfigException {
    if (StrictYaml.isNull(v)) {
      return 0;
    }
    if (v instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.INT) {
      return yaml.int64(v);
    }
    String text = yaml.string(v);
    try {
      return Math.multiplyExact(ModelDuration.parseMillis(text), 1_000_000L);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new ConfigException("time: invalid duration \"" + text + "\"");
    }
  }

  /** exporter-toolkit's JoinDir: relative names are relative to the config file. */
  private String path(String p) {
    if (p.isEmpty() || dir == null || Path.of(p).isAbsolute()) {
      return p;
    }
    return dir.resolve(p).toString();
  }
}
