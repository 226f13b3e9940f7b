package dev.tsdb.server;

import dev.tsdb.server.flags.FlagSet;
import dev.tsdb.server.flags.ServerFlags;
import dev.tsdb.testkit.process.HttpEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real server on a free loopback port with a temporary data dir, plus an HTTP client (over
 * TLS and with credentials when the server is behind a web config file, see {@link #secured}).
 */
final class TestServer implements AutoCloseable {
  final TsdbServer server;
  final String base;
  final HttpClient http;
  /** The Authorization header every request of this client carries, or null. */
  private final String authorization;

  TestServer(Path dir, String... extraFlags) throws Exception {
    this(dir, HttpClient.newHttpClient(), null, extraFlags);
  }

  /**
   * The server started with {@code extraFlags} (a --web.config.file with TLS), reached over
   * https through {@code client} with the header {@code authorization} on every request.
   */
  static TestServer secured(Path dir, HttpClient client, String authorization,
      String... extraFlags) throws Exception {
    return new TestServer(dir, client, authorization, extraFlags);
  }

  private TestServer(Path dir, HttpClient client, String authorization, String... extraFlags)
      throws Exception {
    this.http = client;
    this.authorization = authorization;
    Files.createDirectories(dir);
    Path config = dir.resolve("prometheus.yml");
    if (!Files.exists(config)) {
      Files.writeString(config, "");
    }
    List<String> args = new ArrayList<>(List.of("--web.listen-address=127.0.0.1:0",
        "--storage.tsdb.path=" + dir.resolve("data"), "--config.file=" + config));
    args.addAll(Arrays.asList(extraFlags));
    ServerFlags flags = new ServerFlags();
    FlagSet.Parsed parsed = flags.set.parse(args.toArray(new String[0]));
    server = TsdbServer.start(flags, parsed);
    base = (authorization == null ? "http" : "https") + "://127.0.0.1:" + server.port();
  }

  /** A request to {@code pathAndQuery} with this client's credentials. */
  HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
    return authorization == null ? b : b.header("Authorization", authorization);
  }

  static byte[] snappy(byte[] raw) {
    return HttpEndpoint.snappy(raw);
  }

  HttpResponse<String> write(byte[] protobuf) throws IOException, InterruptedException {
    return post("/api/v1/write", snappy(protobuf), "application/x-protobuf", "snappy");
  }

  HttpResponse<String> post(String path, byte[] body, String contentType, String encoding)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = request(path)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("X-Prometheus-Remote-Write-Version", "0.1.0");
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return http.send(request(pathAndQuery).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> postForm(String path, String form)
      throws IOException, InterruptedException {
    return http.send(request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String enc(String s) {
    return HttpEndpoint.enc(s);
  }

  @Override
  public void close() {
    server.close();
  }
}
