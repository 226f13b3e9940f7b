package dev.tsdb.bench.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The JVM heap of our server as its /metrics page exports it (Micrometer's
 * jvm_memory_used_bytes and jvm_memory_committed_bytes, summed over the pools with
 * area="heap"). Next to the RSS this tells live data and garbage (used) from what the JVM keeps
 * reserved (committed), which is what the RSS follows.
 */
public record JvmHeap(long usedBytes, long committedBytes) {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** Reads /metrics; null when the server does not export the heap or cannot answer. */
  public static JvmHeap scrape(String baseUrl) throws InterruptedException {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? parse(r.body()) : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Sums the heap pools of a text exposition; null when it has no jvm_memory_used_bytes. */
  static JvmHeap parse(String exposition) {
    long used = -1;
    long committed = -1;
    for (String line : exposition.split("\n")) {
      if (!line.contains("area=\"heap\"")) {
        continue;
      }
      if (line.startsWith("jvm_memory_used_bytes{")) {
        used = Math.max(used, 0) + value(line);
      } else if (line.startsWith("jvm_memory_committed_bytes{")) {
        committed = Math.max(committed, 0) + value(line);
      }
    }
    return used < 0 ? null : new JvmHeap(used, committed);
  }

  /** The sample value: the first field after the closing brace (a timestamp may follow). */
  private static long value(String line) {
    String rest = line.substring(line.lastIndexOf('}') + 1).trim();
    return (long) Double.parseDouble(rest.split("\\s+")[0]);
  }
}
