package dev.tsdb.bench.run;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends prepared remote-write 1.0 bodies (snappy-compressed protobuf) with the headers
 * Prometheus's queue manager sends, over kept-alive HTTP/1.1 connections. Thread-safe.
 */
final class RemoteWriteClient {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final Duration timeout;

  RemoteWriteClient(Duration timeout) {
    this.timeout = timeout;
  }

  /** Sends one body; null when it was accepted (2xx), else why not. */
  String send(URI uri, byte[] body) throws InterruptedException {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
          .timeout(timeout)
          .header("Content-Type", "application/x-protobuf")
          .header("Content-Encoding", "snappy")
          .header("X-Prometheus-Remote-Write-Version", "0.1.0")
          .header("User-Agent", "tsdb-bench")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode() + ": " + r.body().strip();
    } catch (IOException e) {
      return e.toString();
    }
  }
}
