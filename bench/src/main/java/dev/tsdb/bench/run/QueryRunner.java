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
 * Runs each query of a set sequentially against one server: at least {@code warmups} unmeasured
 * runs and for at least the warm-up time (at most {@link #MAX_WARMUPS} runs), then {@code
 * repeats} measured ones. The time floor matters for our server: a JVM compiles hot code while it
 * runs, and a server that has been answering dashboards for a while runs compiled code, so a
 * handful of cold runs would measure the interpreter, not the server (Prometheus's Go code is
 * compiled ahead of time; the warm-up is the same for both). Latency is client-side wall time from sending the request
 * to having read the whole response (so JSON encoding is included, as users experience it).
 */
public final class QueryRunner {
  /** Measured latencies (ns, in run order) of one query and its last answer. */
  public record Timing(BenchQuery query, long[] runNanos, QueryResult result, String error) {
    public double medianMs() {
      return percentile(0.5);
    }

    public double p90Ms() {
      return percentile(0.9);
    }

    /** The measured runs in the order they ran, in ms (the first is the coldest). */
    public double[] runsMs() {
      return Arrays.stream(runNanos).mapToDouble(n -> n / 1e6).toArray();
    }

    private double percentile(double q) {
      if (runNanos.length == 0) {
        return Double.NaN;
      }
      long[] sortedNanos = runNanos.clone();
      Arrays.sort(sortedNanos);
      int i = (int) Math.ceil(q * sortedNanos.length) - 1;
      return sortedNanos[Math.max(0, i)] / 1e6;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  /** Upper bound on warm-up runs of one query, whatever the warm-up time. */
  static final int MAX_WARMUPS = 2000;

  private final int warmups;
  private final long warmupNanos;
  private final int repeats;

  public QueryRunner(int warmups, int repeats) {
    this(warmups, Duration.ZERO, repeats);
  }

  /**
   * A runner that measures the first {@code runs} runs of each query, with no warm-up: what a
   * dashboard opened on a freshly filled or freshly restarted server sees. It opens its own
   * connection, so it works across a restart of the server.
   */
  public static QueryRunner firstRuns(int runs) {
    return new QueryRunner(0, Duration.ZERO, runs);
  }

  public QueryRunner(int warmups, Duration warmupTime, int repeats) {
    this.warmups = warmups;
    this.warmupNanos = warmupTime.toNanos();
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
      long warmupEnd = System.nanoTime() + warmupNanos;
      int warm = 0;
      while (warm < warmups || (System.nanoTime() < warmupEnd && warm < MAX_WARMUPS)) {
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
          return failed(q, r);
        }
        warm++;
      }
      for (int i = 0; i < repeats; i++) {
        long start = System.nanoTime();
        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        nanos[i] = System.nanoTime() - start;
        if (r.statusCode() != 200) {
          return failed(q, r);
        }
        body = r.body();
      }
      JsonNode root = JSON.readTree(body);
      if (!"success".equals(root.path("status").asText())) {
        return new Timing(q, new long[0], null, root.toString());
      }
      return new Timing(q, nanos, QueryResult.parse(root.path("data")), null);
    } catch (IOException e) {
      return new Timing(q, new long[0], null, e.toString());
    }
  }

  private static Timing failed(BenchQuery q, HttpResponse<byte[]> r) {
    return new Timing(q, new long[0], null, "HTTP " + r.statusCode() + ": "
        + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
  }
}
