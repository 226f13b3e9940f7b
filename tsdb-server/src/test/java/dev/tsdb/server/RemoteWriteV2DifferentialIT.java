package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.api.remote.PromPbV2;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus 3.5 as the reference receiver for remote write 2.0: the same requests to it and to
 * us get the same status, body and X-Prometheus-Remote-Write-*-Written headers; where it is
 * wrong (it closes the connection on a reference past the symbols table) we answer 400.
 */
class RemoteWriteV2DifferentialIT {
  private static final String V2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
  private static final String[] HEADERS = {"X-Prometheus-Remote-Write-Samples-Written",
      "X-Prometheus-Remote-Write-Histograms-Written",
      "X-Prometheus-Remote-Write-Exemplars-Written"};

  @TempDir
  static Path dir;
  static TestServer ours;
  static Prometheus theirs;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    ours = new TestServer(dir.resolve("ours"));
    theirs = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom")).start();
  }

  @AfterAll
  static void stop() {
    if (theirs != null) {
      theirs.close();
    }
    if (ours != null) {
      ours.close();
    }
  }

  private static HttpResponse<String> post(String base, byte[] body, String contentType)
      throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
        .header("Content-Type", contentType).header("Content-Encoding", "snappy")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends to both and compares what matters to a sender. */
  private static void same(byte[] request, String contentType) throws Exception {
    byte[] body = TestServer.snappy(request);
    HttpResponse<String> p = post(theirs.base(), body, contentType);
    HttpResponse<String> o = post(ours.base, body, contentType);
    assertEquals(p.statusCode(), o.statusCode(), o.body());
    assertEquals(p.body(), o.body());
    for (String h : HEADERS) {
      assertEquals(p.headers().firstValue(h), o.headers().firstValue(h), h);
    }
  }

  private static PromPbV2.Series series(long t, double v, String... nameValues) {
    return PromPbV2.Series.of(PromPb.Series.raw(nameValues, new long[] {t}, new double[] {v}));
  }

  @Test
  void validRequest() throws Exception {
    long now = System.currentTimeMillis();
    same(PromPbV2.request(List.of(
        series(now, 1, "__name__", "d_up", "job", "a").withMetadata(2, "Up.", ""),
        series(now, 5, "__name__", "d_total", "job", "a").withMetadata(1, "Total.", "bytes")
            .withCreatedTimestamp(now - 60_000))), V2);
  }

  @Test
  void invalidSeriesKeepTheValidPart() throws Exception {
    long now = System.currentTimeMillis();
    same(PromPbV2.request(List.of(series(now, 1, "job", "noname"),
        series(now, 2, "__name__", "d_kept"),
        series(now, 3, "__name__", "d_dup", "a", "1", "a", "2"))), V2);
  }

  @Test
  void outOfOrderSamples() throws Exception {
    long now = System.currentTimeMillis();
    same(PromPbV2.request(List.of(PromPbV2.Series.of(PromPb.Series.raw(
        new String[] {"__name__", "d_ooo", "job", "x"}, new long[] {now, now - 1000},
        new double[] {1, 2})))), V2);
  }

  @Test
  void unknownMessageAndVersion1() throws Exception {
    long now = System.currentTimeMillis();
    same(new byte[] {1}, "application/x-protobuf;proto=io.prometheus.write.v3.Request");
    same(PromPb.writeRequest(List.of(PromPb.Series.of(Labels.of("__name__", "d_v1"),
        new long[] {now}, new double[] {1})), List.of()), "application/x-protobuf");
  }

  @Test
  void referencePastTheSymbolsTable() throws Exception {
    byte[] body = TestServer.snappy(PromPbV2.raw(List.of("", "__name__", "x"), List.of(
        PromPbV2.RefSeries.of(new int[] {1, 9}, System.currentTimeMillis(), 1))));
    // Prometheus 3.5 panics in the handler and drops the connection without an answer.
    assertThrows(IOException.class, () -> post(theirs.base(), body, V2));
    HttpResponse<String> o = post(ours.base, body, V2);
    assertEquals(400, o.statusCode());
    assertEquals("timeseries[0]: labels_refs refers to symbol 9, but the symbols table has 3"
        + " entries\n", o.body());
    assertEquals(List.of("0"), o.headers().allValues(HEADERS[0]));
  }
}
