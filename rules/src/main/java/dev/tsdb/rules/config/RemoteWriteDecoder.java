package dev.tsdb.rules.config;

import dev.tsdb.rules.relabel.RelabelConfig;
import dev.tsdb.rules.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decodes the {@code remote_write:} section with Prometheus 3.5's defaults and validation
 * messages. The HTTP client settings share {@link AlertingDecoder}'s decoding (oauth2 included);
 * sigv4, azuread and google_iam are accepted and listed as unsupported (cloud-vendor signing
 * that cannot be exercised without the vendor).
 */
final class RemoteWriteDecoder {
  /** Accepted without effect (connection tuning Java's client does itself). */
  private static final Set<String> IGNORED = Set.of("follow_redirects", "enable_http2",
      "round_robin_dns", "no_proxy", "proxy_from_environment", "proxy_connect_header",
      "http_headers");
  private static final Set<String> UNSUPPORTED_AUTH = Set.of("sigv4", "azuread", "google_iam");
  /** Headers a config may not set (Prometheus's reservedHeaders; authorization apart). */
  private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-encoding",
      "content-length", "content-type", "user-agent", "connection", "keep-alive",
      "proxy-authenticate", "proxy-authorization", "www-authenticate", "accept-encoding",
      "x-prometheus-remote-write-version", "x-prometheus-remote-read-version");

  private final YamlDecoder d;
  private final AlertingDecoder http;

  RemoteWriteDecoder(YamlDecoder d) {
    this.d = d;
    this.http = new AlertingDecoder(d);
  }

  List<RemoteWriteConfig> remoteWrites(YamlNode n) throws ConfigException {
    List<RemoteWriteConfig> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (YamlNode item : d.items(n, "[]*config.RemoteWriteConfig")) {
      if (YamlDecoder.isNull(item)) {
        throw new ConfigException("empty or null remote write config section");
      }
      RemoteWriteConfig c = remoteWrite(item);
      if (c == null) {
        continue;
      }
      if (!c.name().isEmpty() && !names.add(c.name())) {
        throw new ConfigException("found multiple remote write configs with job name \""
            + c.name() + "\"");
      }
      out.add(c);
    }
    return out;
  }

  private RemoteWriteConfig remoteWrite(YamlNode n) throws ConfigException {
    int errorsBefore = d.errors.size();
    String url = null;
    String name = "";
    long timeout = RemoteWriteConfig.DEFAULT_TIMEOUT_MS;
    Map<String, String> headers = Map.of();
    List<RelabelConfig> relabel = List.of();
    boolean exemplars = false;
    boolean histograms = false;
    String proto = RemoteWriteConfig.PROTO_V1;
    BasicAuth basic = null;
    Authorization auth = null;
    OAuth2Config oauth2 = null;
    TlsConfig tls = TlsConfig.NONE;
    String proxy = null;
    RemoteWriteConfig.QueueConfig queue = RemoteWriteConfig.QueueConfig.DEFAULT;
    RemoteWriteConfig.MetadataConfig meta = RemoteWriteConfig.MetadataConfig.DEFAULT;
    List<String> otherAuth = new ArrayList<>();
    for (YamlNode.Entry e : d.entries(n, "config.plain")) {
      String k = e.key().text();
      switch (k) {
        case "url" -> url = d.string(e.value());
        case "name" -> name = d.string(e.value());
        case "remote_timeout" -> timeout = d.duration(e.value(), timeout);
        case "headers" -> headers = d.stringMap(e.value(), "map[string]string");
        case "write_relabel_configs" -> {
          for (YamlNode r : d.items(e.value(), "[]*relabel.Config")) {
            if (YamlDecoder.isNull(r)) {
              throw new ConfigException("empty or null relabeling rule in remote write config");
            }
          }
          relabel = http.relabelConfigs(e.value(), "remote write");
        }
        case "send_exemplars" -> exemplars = d.bool(e.value());
        case "send_native_histograms" -> histograms = d.bool(e.value());
        case "protobuf_message" -> proto = d.string(e.value());
        case "basic_auth" -> basic = http.basicAuth(e.value());
        case "authorization" -> auth = http.authorization(e.value());
        case "oauth2" -> oauth2 = http.oauth2(e.value());
        case "tls_config" -> tls = http.tls(e.value());
        case "proxy_url" -> proxy = d.string(e.value()).isEmpty() ? null : d.string(e.value());
        case "queue_config" -> queue = queue(e.value());
        case "metadata_config" -> meta = metadata(e.value());
        default -> {
          if (IGNORED.contains(k)) {
            continue;
          }
          if (UNSUPPORTED_AUTH.contains(k)) {
            if (!YamlDecoder.isNull(e.value())) {
              d.unsupported.add("remote_write[]." + k);
              otherAuth.add(k);
            }
            continue;
          }
          d.unknown(e, "config.plain");
        }
      }
    }
    if (d.errors.size() > errorsBefore) {
      return null;
    }
    if (url == null) { // as in Prometheus, an empty string is a URL
      throw new ConfigException("url for remote_write is empty");
    }
    for (String h : headers.keySet()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.equals("authorization")) {
        throw new ConfigException("authorization header must be changed via the basic_auth,"
            + " authorization, oauth2, or sigv4 parameter");
      }
      if (RESERVED_HEADERS.contains(lower)) {
        throw new ConfigException(h + " is a reserved header. It must not be changed");
      }
    }
    if (!proto.equals(RemoteWriteConfig.PROTO_V1) && !proto.equals(RemoteWriteConfig.PROTO_V2)) {
      throw new ConfigException("invalid protobuf_message value: unknown remote write protobuf"
          + " message " + proto + ", supported: " + RemoteWriteConfig.PROTO_V1 + ", "
          + RemoteWriteConfig.PROTO_V2);
    }
    // The HTTP client's own check comes first, then the one across all auth methods.
    if ((basic != null ? 1 : 0) + (auth != null ? 1 : 0) + (oauth2 != null ? 1 : 0) > 1) {
      throw new ConfigException(
          "at most one of basic_auth, oauth2 & authorization must be configured");
    }
    List<String> auths = new ArrayList<>();
    if (basic != null) {
      auths.add("basic_auth");
    }
    if (auth != null) {
      auths.add("authorization");
    }
    if (oauth2 != null) {
      auths.add("oauth2");
    }
    for (String k : List.of("sigv4", "azuread", "google_iam")) {
      if (otherAuth.contains(k)) {
        auths.add(k);
      }
    }
    if (auths.size() > 1) {
      throw new ConfigException("at most one of basic_auth, authorization, oauth2, or sigv4"
          + " must be configured. Currently configured: [" + String.join(" ", auths) + "]");
    }
    return new RemoteWriteConfig(url, name, timeout, headers, relabel, exemplars, histograms,
        proto, basic, auth, tls, proxy, queue, meta, oauth2);
  }

  private RemoteWriteConfig.QueueConfig queue(YamlNode n) throws ConfigException {
    RemoteWriteConfig.QueueConfig q = RemoteWriteConfig.QueueConfig.DEFAULT;
    int capacity = q.capacity();
    int maxShards = q.maxShards();
    int minShards = q.minShards();
    int perSend = q.maxSamplesPerSend();
    long deadline = q.batchSendDeadlineMs();
    long minBackoff = q.minBackoffMs();
    long maxBackoff = q.maxBackoffMs();
    boolean retry429 = q.retryOnRateLimit();
    long ageLimit = q.sampleAgeLimitMs();
    for (YamlNode.Entry e : d.entries(n, "config.QueueConfig")) {
      switch (e.key().text()) {
        case "capacity" -> capacity = (int) d.int64(e.value());
        case "max_shards" -> maxShards = (int) d.int64(e.value());
        case "min_shards" -> minShards = (int) d.int64(e.value());
        case "max_samples_per_send" -> perSend = (int) d.int64(e.value());
        case "batch_send_deadline" -> deadline = d.duration(e.value(), deadline);
        case "min_backoff" -> minBackoff = d.duration(e.value(), minBackoff);
        case "max_backoff" -> maxBackoff = d.duration(e.value(), maxBackoff);
        case "retry_on_http_429" -> retry429 = d.bool(e.value());
        case "sample_age_limit" -> ageLimit = d.duration(e.value(), ageLimit);
        default -> d.unknown(e, "config.QueueConfig");
      }
    }
    return new RemoteWriteConfig.QueueConfig(capacity <= 0 ? q.capacity() : capacity,
        Math.max(1, maxShards), Math.max(1, minShards), perSend <= 0 ? q.maxSamplesPerSend()
            : perSend, deadline, minBackoff, maxBackoff, retry429, ageLimit);
  }

  private RemoteWriteConfig.MetadataConfig metadata(YamlNode n) throws ConfigException {
    RemoteWriteConfig.MetadataConfig m = RemoteWriteConfig.MetadataConfig.DEFAULT;
    boolean send = m.send();
    long interval = m.sendIntervalMs();
    int perSend = m.maxSamplesPerSend();
    for (YamlNode.Entry e : d.entries(n, "config.MetadataConfig")) {
      switch (e.key().text()) {
        case "send" -> send = d.bool(e.value());
        case "send_interval" -> interval = d.duration(e.value(), interval);
        case "max_samples_per_send" -> perSend = (int) d.int64(e.value());
        default -> d.unknown(e, "config.MetadataConfig");
      }
    }
    return new RemoteWriteConfig.MetadataConfig(send, interval, perSend <= 0 ? 2000 : perSend);
  }
}
