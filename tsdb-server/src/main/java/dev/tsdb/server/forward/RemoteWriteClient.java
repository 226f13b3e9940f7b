package dev.tsdb.server.forward;

import dev.tsdb.rules.config.RemoteWriteConfig;
import dev.tsdb.rules.notifier.ClientAuth;
import dev.tsdb.rules.notifier.HttpClients;
import dev.tsdb.server.Version;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Sends remote-write bodies to one receiver with the queue's HTTP settings (headers, basic_auth,
 * authorization, oauth2, tls_config, proxy_url, remote_timeout) and the protocol headers of the chosen
 * message. The answer is classified as Prometheus's client does: 2xx sent; 5xx, and 429 when
 * retry_on_http_429 is on, retried (with the receiver's Retry-After); other statuses dropped.
 */
final class RemoteWriteClient {
  /** What became of one attempt. */
  record Outcome(Kind kind, int status, long retryAfterMs, String message) {
    enum Kind { SENT, RETRY, DROP }
  }

  private final RemoteWriteConfig cfg;
  private final HttpClient http;
  private final ClientAuth auth;
  private final URI uri;
  private final String userAgent = "Prometheus/" + Version.version();

  RemoteWriteClient(RemoteWriteConfig cfg) throws IOException, GeneralSecurityException {
    this.cfg = cfg;
    this.uri = URI.create(cfg.url());
    this.http = HttpClients.build(uri.getScheme(), cfg.remoteTimeoutMs(), cfg.proxyUrl(),
        cfg.tls());
    this.auth = new ClientAuth(cfg.basicAuth(), cfg.authorization(), cfg.oauth2(),
        cfg.remoteTimeoutMs());
  }

  /** Sends a snappy-compressed body; a transport error is an {@link IOException} (retried). */
  Outcome send(byte[] body) throws IOException, InterruptedException {
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofMillis(Math.max(1, cfg.remoteTimeoutMs())))
        .header("Content-Encoding", "snappy")
        .header("User-Agent", userAgent)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (cfg.isV2()) {
      rb.header("Content-Type", "application/x-protobuf;proto=" + RemoteWriteConfig.PROTO_V2);
      rb.header("X-Prometheus-Remote-Write-Version", "2.0.0");
    } else {
      rb.header("Content-Type", "application/x-protobuf");
      rb.header("X-Prometheus-Remote-Write-Version", "0.1.0");
    }
    for (Map.Entry<String, String> h : cfg.headers().entrySet()) {
      rb.header(h.getKey(), h.getValue());
    }
    String authorization = auth.header();
    if (authorization != null) {
      rb.header("Authorization", authorization);
    }
    HttpResponse<String> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
    int code = resp.statusCode();
    if (code / 100 == 2) {
      return new Outcome(Outcome.Kind.SENT, code, 0, "");
    }
    String msg = "server returned HTTP status " + code + ": " + firstLine(resp.body());
    if (code / 100 == 5 || (code == 429 && cfg.queue().retryOnRateLimit())) {
      long after = retryAfterMs(resp.headers().firstValue("Retry-After").orElse(""));
      return new Outcome(Outcome.Kind.RETRY, code, after, msg);
    }
    return new Outcome(Outcome.Kind.DROP, code, 0, msg);
  }

  private static String firstLine(String body) {
    if (body == null) {
      return "";
    }
    String s = body.strip();
    int nl = s.indexOf('\n');
    s = nl < 0 ? s : s.substring(0, nl);
    return s.length() > 512 ? s.substring(0, 512) : s;
  }

  /** Retry-After as seconds or an HTTP date; 0 when absent or unreadable. */
  static long retryAfterMs(String v) {
    if (v == null || v.isBlank()) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(v.trim()) * 1000);
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime t = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
        return Math.max(0, t.toInstant().toEpochMilli() - System.currentTimeMillis());
      } catch (RuntimeException e2) {
        return 0;
      }
    }
  }
}
