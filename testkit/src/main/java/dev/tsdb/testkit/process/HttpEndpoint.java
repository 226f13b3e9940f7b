package dev.tsdb.testkit.process;

import io.airlift.compress.snappy.SnappyCompressor;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.SSLContext;

/**
 * The HTTP requests the tests send to a Prometheus-compatible server (ours or a reference one)
 * at one base URL: GET, POST, form POST and a remote-write 1.0 request; over TLS and with basic
 * auth credentials when the server sits behind a web config file.
 */
public final class HttpEndpoint {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final String base;
  private final HttpClient http;
  /** The Authorization header every request carries, or null. */
  private final String authorization;

  public HttpEndpoint(String base) {
    this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), null);
  }

  private HttpEndpoint(String base, HttpClient http, String authorization) {
    this.base = base;
    this.http = http;
    this.authorization = authorization;
  }

  /**
   * {@code https://host:port} trusting what {@code tls} trusts (and presenting its client
   * certificate, if it has one), every request with basic auth {@code user}:{@code password}.
   */
  public static HttpEndpoint https(String hostPort, SSLContext tls, String user,
      String password) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .sslContext(tls).build();
    return new HttpEndpoint("https://" + hostPort, http, basicAuth(user, password));
  }

  /** The value of an Authorization header for basic auth. */
  public static String basicAuth(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString(
        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** e.g. {@code http://127.0.0.1:9090}, without a trailing slash. */
  public String base() {
    return base;
  }

  public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET());
  }

  public HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  public HttpResponse<String> postForm(String path, String form)
      throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)));
  }

  /** POSTs {@code body} with the given headers (name, value, name, value...). */
  public HttpResponse<String> post(String path, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  /** Remote write 1.0: {@code writeRequest} is an uncompressed prometheus.WriteRequest. */
  public HttpResponse<String> write(byte[] writeRequest) throws IOException, InterruptedException {
    return post("/api/v1/write", snappy(writeRequest), "Content-Type", "application/x-protobuf",
        "Content-Encoding", "snappy", "X-Prometheus-Remote-Write-Version", "0.1.0");
  }

  /** Snappy block format, as remote write and remote read bodies use it. */
  public static byte[] snappy(byte[] raw) {
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(raw.length)];
    int n = c.compress(raw, 0, raw.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }

  /** URL query encoding (form encoding, as Go's url.QueryEscape). */
  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(REQUEST_TIMEOUT);
    return authorization == null ? b : b.header("Authorization", authorization);
  }

  private HttpResponse<String> send(HttpRequest.Builder b)
      throws IOException, InterruptedException {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
