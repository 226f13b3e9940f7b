package dev.tsdb.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs each query of a set sequentially against one server: {@code warmups} unmeasured runs,
 * then {@code repeats} measured ones. Latency is client-side wall time from sending the request
 * to having read the whole response (so JSON encoding is included, as users experience it).
 */
public final class QueryRunner {
  /** Measured latencies (ns, sorted) of one query and its last answer. */
  public record Timing(BenchQuery query, long[] sortedNanos, QueryResult result, String error) {
    public double medianMs() {
      return percentile(0.5);
    }

    public double p90Ms() {
      return percentile(0.9);
    }

    private double percentile(double q) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.ceil(q * sortedNanos.length) - 1;
      return sortedNanos[Math.max(0, i)] / 1e6;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final int warmups;
  private final int repeats;

  public QueryRunner(int warmups, int repeats) {
    this.warmups = warmups;
    this.repeats = repeats;
  }

  public List<Timing> run(String baseUrl, List<BenchQuery> queries) throws InterruptedException {
    List<Timing> out = new ArrayList<>();
    for (BenchQuery q : queries) {
      out.add(run(baseUrl, q));
    }
    return out;
  }

  private Timing run(String baseUrl, BenchQuery q) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + q.pathAndQuery()))
        .timeout(Duration.ofMinutes(2)).build();
    long[] nanos = new long[repeats];
    byte[] body = null;
    try {
      for (int i = 0; i < warmups + repeats; i++) {
        long start = System.nanoTime();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long elapsed = System.nanoTime() - start;
        if (r.statusCode() != 200) {
          return new Timing(q, new long[0], null, "HTTP " + r.statusCode() + ": "
              + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        if (i >= warmups) {
          nanos[i - warmups] = elapsed;
        }
        body = r.body();
      }
      JsonNode root = JSON.readTree(body);
      if (!"success".equals(root.path("status").asText())) {
        return new Timing(q, new long[0], null, root.toString());
      }
      Arrays.sort(nanos);
      return new Timing(q, nanos, QueryResult.parse(root.path("data")), null);
    } catch (IOException e) {
      return new Timing(q, new long[0], null, e.toString());
    }
  }
}
