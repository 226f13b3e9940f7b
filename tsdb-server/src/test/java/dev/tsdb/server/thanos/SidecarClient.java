package dev.tsdb.server.thanos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.CodedOutputStream;
import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.testkit.process.HttpEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The HTTP calls a Thanos sidecar makes to the Prometheus beside it, with the same methods,
 * paths, parameters, headers and bodies (read from Thanos's promclient, sidecar command and
 * Prometheus store; written anew here), decoding each answer the way the sidecar does. No Thanos
 * binary can be built on this machine, so this replays its side of the conversation.
 */
final class SidecarClient {
  /** promclient's user agent for the sidecar's own checks. */
  static final String SIDECAR_AGENT = "thanos-sidecar";
  /** The store API's client (remote read, labels, series). */
  static final String STORE_AGENT = "Thanos/0.40.0";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final String base;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  SidecarClient(String base) {
    this.base = base;
  }

  /** A label matcher of the store API: type 0 =, 1 !=, 2 =~, 3 !~ (prompb's numbering). */
  record Matcher(int type, String name, String value) {
    static Matcher eq(String n, String v) {
      return new Matcher(0, n, v);
    }

    static Matcher re(String n, String v) {
      return new Matcher(2, n, v);
    }

    /** As Prometheus's labels.Matcher.String() prints it (Go %q of the value). */
    @Override
    public String toString() {
      String op = switch (type) {
        case 0 -> "=";
        case 1 -> "!=";
        case 2 -> "=~";
        default -> "!~";
      };
      return name + op + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
  }

  /** The flags the sidecar reads from /api/v1/status/flags, parsed as it parses them. */
  record PromFlags(String tsdbPath, long retentionMs, long minBlockMs, long maxBlockMs,
      String delayCompactPath, boolean adminApi, boolean lifecycle) {}

  /** What an answer was: status code and body (decompressed as Go's transport does). */
  record Answer(int status, String contentType, byte[] body) {
    String text() {
      return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  /** GET as promclient.req2xx sends it: its user agent, Go's default Accept-Encoding. */
  Answer get(String pathAndQuery, String userAgent) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET()
        .header("User-Agent", userAgent));
  }

  Answer post(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.noBody()).header("User-Agent", SIDECAR_AGENT));
  }

  private Answer send(HttpRequest.Builder b) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = http.send(b.header("Accept-Encoding", "gzip")
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
    InputStream in = r.body();
    if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
      in = new GZIPInputStream(in);
    }
    try (InputStream body = in) {
      return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
          body.readAllBytes());
    }
  }

  /** BuildVersion: 404 and 405 mean "older than 2.14" ("0"); any other non-2xx fails. */
  String buildVersion() throws IOException, InterruptedException {
    Answer a = get("/api/v1/status/buildinfo", SIDECAR_AGENT);
    if (a.status() == 404 || a.status() == 405) {
      return "0";
    }
    check2xx(a);
    return a.json().path("data").path("version").asText();
  }

  /**
   * ConfiguredFlags: every duration is a string model.ParseDuration must accept, every bool a
   * string strconv.ParseBool must accept (a JSON bool or number is an error for the sidecar).
   */
  PromFlags flags() throws IOException, InterruptedException {
    Answer a = get("/api/v1/status/flags", SIDECAR_AGENT);
    if (a.status() != 200) {
      throw new IOException("flags: " + a.status() + " " + a.text());
    }
    JsonNode d = a.json().path("data");
    return new PromFlags(string(d, "storage.tsdb.path"), duration(d, "storage.tsdb.retention"),
        duration(d, "storage.tsdb.min-block-duration"),
        duration(d, "storage.tsdb.max-block-duration"),
        string(d, "storage.tsdb.delay-compact-file.path"), bool(d, "web.enable-admin-api"),
        bool(d, "web.enable-lifecycle"));
  }

  /**
   * validatePrometheus with uploads on: the reason the sidecar would refuse to start, or null.
   * Local compaction must be off (min = max block duration) unless the delay-compact file is
   * used or --shipper.ignore-unequal-block-size is given.
   */
  static String refusal(PromFlags f, String sidecarShipperMetaPath, boolean ignoreBlockSize) {
    if (!f.delayCompactPath().isEmpty()
        && !java.nio.file.Path.of(f.delayCompactPath()).normalize()
            .equals(java.nio.file.Path.of(sidecarShipperMetaPath).normalize())) {
      return "different paths for tracking block uploads";
    }
    if (f.minBlockMs() != f.maxBlockMs() && f.delayCompactPath().isEmpty() && !ignoreBlockSize) {
      return "found that TSDB Max time is " + ModelDuration.format(f.maxBlockMs())
          + " and Min time is " + ModelDuration.format(f.minBlockMs())
          + ". Compaction needs to be disabled";
    }
    return null;
  }

  /**
   * ExternalLabels: the YAML of /api/v1/status/config read into a map of strings
   * (global.external_labels), as the sidecar's YAML decoding into map[string]string does.
   */
  Map<String, String> externalLabels() throws IOException, InterruptedException {
    Answer a = get("/api/v1/status/config", SIDECAR_AGENT);
    check2xx(a);
    JsonNode cfg = YAML.readTree(a.json().path("data").path("yaml").asText());
    Map<String, String> out = new TreeMap<>();
    JsonNode ext = cfg == null ? null : cfg.path("global").path("external_labels");
    if (ext != null && ext.isObject()) {
      ext.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    }
    return out;
  }

  /**
   * LowestTimestamp: prometheus_tsdb_lowest_timestamp_seconds from /metrics in milliseconds;
   * an empty database (math.MaxInt64 there) means "everything", Long.MIN_VALUE.
   */
  long lowestTimestamp() throws IOException, InterruptedException {
    Answer a = get("/metrics", SIDECAR_AGENT);
    for (String line : a.text().lines().toList()) {
      if (line.startsWith("prometheus_tsdb_lowest_timestamp_seconds ")) {
        double v = 1000 * Double.parseDouble(line.substring(line.indexOf(' ') + 1).trim());
        if (v == (double) Long.MAX_VALUE) {
          return Long.MIN_VALUE;
        }
        return Double.isNaN(v) ? Long.MIN_VALUE : (long) v; // Go's int64(NaN) on amd64
      }
    }
    throw new IOException("no prometheus_tsdb_lowest_timestamp_seconds in /metrics");
  }

  /**
   * The remote read of the store API's Series call: one query (range and matchers, no hints),
   * STREAMED_XOR_CHUNKS preferred over SAMPLES, snappy body, the sidecar's headers.
   */
  Answer remoteRead(long mint, long maxt, List<Matcher> matchers)
      throws IOException, InterruptedException {
    ByteArrayOutputStream q = new ByteArrayOutputStream();
    CodedOutputStream qo = CodedOutputStream.newInstance(q);
    qo.writeInt64(1, mint);
    qo.writeInt64(2, maxt);
    for (Matcher m : matchers) {
      ByteArrayOutputStream mb = new ByteArrayOutputStream();
      CodedOutputStream mo = CodedOutputStream.newInstance(mb);
      if (m.type() != 0) {
        mo.writeEnum(1, m.type());
      }
      mo.writeString(2, m.name());
      mo.writeString(3, m.value());
      mo.flush();
      qo.writeByteArray(3, mb.toByteArray());
    }
    qo.flush();
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(r);
    ro.writeByteArray(1, q.toByteArray());
    ro.writeEnum(2, 1); // STREAMED_XOR_CHUNKS
    ro.writeEnum(2, 0); // SAMPLES
    ro.flush();
    return send(HttpRequest.newBuilder(URI.create(base + "/api/v1/read"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(HttpEndpoint.snappy(r.toByteArray())))
        .header("Content-Encoding", "snappy")
        .header("Content-Type", "application/x-stream-protobuf")
        .header("X-Prometheus-Remote-Read-Version", "0.1.0")
        .header("User-Agent", STORE_AGENT));
  }

  /**
   * start/end as the sidecar formats them: whole seconds plus the fraction as one float64,
   * printed 'f' with the shortest precision (so the edges of time lose their last digits).
   */
  static String time(long ms) {
    double seconds = (double) Math.floorDiv(ms, 1000)
        + (double) (Math.floorMod(ms, 1000) * 1_000_000L) / 1e9;
    return GoFloat.format(seconds, 'f', -1);
  }

  /** {a="b", c=~"d"}: storepb.PromMatchersToString. */
  static String selector(List<Matcher> ms) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < ms.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(ms.get(i));
    }
    return sb.append('}').toString();
  }

  static void check2xx(Answer a) throws IOException {
    if (a.status() / 100 != 2) {
      throw new IOException("expected 2xx response, got " + a.status() + ". Body: " + a.text());
    }
  }

  private static String string(JsonNode d, String name) throws IOException {
    JsonNode n = d.get(name);
    if (n == null) {
      return "";
    }
    if (!n.isTextual()) {
      throw new IOException(name + " is not a JSON string: " + n);
    }
    return n.asText();
  }

  private static long duration(JsonNode d, String name) throws IOException {
    if (d.get(name) == null) {
      return 0;
    }
    return ModelDuration.parseMillis(string(d, name)); // throws as model.ParseDuration does
  }

  private static boolean bool(JsonNode d, String name) throws IOException {
    if (d.get(name) == null) {
      return false;
    }
    String s = string(d, name);
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw new IOException(name + ": strconv.ParseBool: invalid syntax " + s);
    };
  }
}
