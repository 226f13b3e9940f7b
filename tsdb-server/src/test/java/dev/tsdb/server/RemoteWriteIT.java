package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote write against the real server: accepted data, refused requests, partial rejections. */
class RemoteWriteIT {
  @TempDir
  static Path dir;
  static TestServer ts;

  @BeforeAll
  static void start() throws Exception {
    // 1.0 only: the 2.0 receiver has its own tests (RemoteWriteV2IT).
    ts = new TestServer(dir, "--web.remote-write-receiver.max-bytes=64KiB",
        "--web.remote-write-receiver.accepted-protobuf-messages=prometheus.WriteRequest");
  }

  @AfterAll
  static void stop() {
    ts.close();
  }

  /** Every test writes near this time: the database refuses samples far below its head. */
  private static final long T0 = 1_700_000_000_000L;

  private static byte[] request(String metric, String job, long t, double v) {
    return PromPb.writeRequest(List.of(PromPb.Series.of(
        Labels.of("__name__", metric, "job", job), new long[] {t}, new double[] {v})), List.of());
  }

  @Test
  void acceptsValidWrites() throws Exception {
    HttpResponse<String> r = ts.write(request("rw_ok", "a", 1_700_000_000_000L, 1));
    assertEquals(204, r.statusCode(), r.body());
    assertTrue(ts.get("/api/v1/label/job/values").body().contains("\"a\""));
    assertTrue(ts.get("/api/v1/label/__name__/values").body().contains("\"rw_ok\""));
  }

  @Test
  void writtenSamplesAreQueryable() throws Exception {
    byte[] req = PromPb.writeRequest(List.of(PromPb.Series.of(
        Labels.of("__name__", "rw_query", "job", "q"), new long[] {1_700_000_000_000L,
            1_700_000_015_000L, 1_700_000_030_000L}, new double[] {1, 2.5, 4})), List.of());
    assertEquals(204, ts.write(req).statusCode());
    assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{\"__name__\":\"rw_query\",\"job\":\"q\"},\"value\":"
            + "[1700000020.500,\"2.5\"]}]}}",
        ts.get("/api/v1/query?query=rw_query&time=1700000020.5").body());
    assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":"
            + "[{\"metric\":{\"__name__\":\"rw_query\",\"job\":\"q\"},\"values\":"
            + "[[1700000000,\"1\"],[1700000020,\"2.5\"],[1700000040,\"4\"]]}]}}",
        ts.get("/api/v1/query_range?query=rw_query&start=1700000000&end=1700000040&step=20s")
            .body());
    assertEquals("{\"status\":\"success\",\"data\":[{\"__name__\":\"rw_query\",\"job\":"
        + "\"q\"}]}", ts.get("/api/v1/series?match[]=rw_query").body());
  }

  @Test
  void missingHeadersMeanRemoteWrite1AndSnappy() throws Exception {
    HttpResponse<String> r = ts.post("/api/v1/write",
        TestServer.snappy(request("rw_noheaders", "a", 1_700_000_000_000L, 1)), null, null);
    assertEquals(204, r.statusCode(), r.body());
    assertTrue(ts.get("/api/v1/label/__name__/values").body().contains("\"rw_noheaders\""));
  }

  @Test
  void refusesOtherMediaTypesAndEncodings() throws Exception {
    byte[] body = TestServer.snappy(request("rw_x", "a", 1_700_000_000_000L, 1));
    HttpResponse<String> r = ts.post("/api/v1/write", body, "application/json", "snappy");
    assertEquals(415, r.statusCode());
    assertEquals("expected application/x-protobuf as the first (media) part, got"
        + " application/json content-type\n", r.body());
    r = ts.post("/api/v1/write", body, "application/x-protobuf", "gzip");
    assertEquals(415, r.statusCode());
    assertEquals("gzip encoding (compression) is not accepted by this server; only snappy is"
        + " acceptable\n", r.body());
    r = ts.post("/api/v1/write", body,
        "application/x-protobuf;proto=io.prometheus.write.v2.Request", "snappy");
    assertEquals(415, r.statusCode());
    assertEquals("io.prometheus.write.v2.Request protobuf message is not accepted by this server;"
        + " accepted [prometheus.WriteRequest]\n", r.body());
    r = ts.post("/api/v1/write", body, "application/x-protobuf;proto=prometheus.WriteRequest",
        "snappy");
    assertEquals(204, r.statusCode(), r.body());
  }

  @Test
  void badSnappyAndBadProtobufAre400() throws Exception {
    HttpResponse<String> r = ts.post("/api/v1/write",
        "definitely not snappy".getBytes(StandardCharsets.UTF_8), "application/x-protobuf",
        "snappy");
    assertEquals(400, r.statusCode());
    assertEquals("snappy: corrupt input\n", r.body());
    r = ts.write(new byte[] {0x0a, 0x7f, 0x01});
    assertEquals(400, r.statusCode());
    assertTrue(r.body().startsWith("proto: "), r.body());
  }

  @Test
  void oversizedRequestsAre413() throws Exception {
    byte[] big = new byte[100 << 10]; // zeros compress well: only the decompressed size is big
    HttpResponse<String> r = ts.post("/api/v1/write", TestServer.snappy(big),
        "application/x-protobuf", "snappy");
    assertEquals(413, r.statusCode(), r.body());
    byte[] random = new byte[200 << 10];
    new java.util.Random(1).nextBytes(random);
    r = ts.post("/api/v1/write", random, "application/x-protobuf", "snappy");
    assertEquals(413, r.statusCode(), r.body());
  }

  @Test
  void invalidSeriesRejectedOthersKept() throws Exception {
    byte[] req = PromPb.writeRequest(List.of(
        PromPb.Series.raw(new String[] {"job", "nometric"}, new long[] {T0}, new double[] {1}),
        PromPb.Series.raw(new String[] {"job", "b", "__name__", "rw_partial"}, new long[] {T0},
            new double[] {2}),
        PromPb.Series.raw(new String[] {"__name__", "rw_dup", "a", "1", "a", "2"},
            new long[] {T0}, new double[] {3})), List.of());
    HttpResponse<String> r = ts.write(req);
    assertEquals(400, r.statusCode());
    assertEquals("2 series rejected; first: {job=\"nometric\"}: missing metric name (label"
        + " \"__name__\")\n", r.body());
    String names = ts.get("/api/v1/label/__name__/values").body();
    assertTrue(names.contains("\"rw_partial\""), names);
    assertTrue(!names.contains("rw_dup"), names);
  }

  @Test
  void samplesTooFarInTheFutureAreRejected() throws Exception {
    long future = System.currentTimeMillis() + 3_600_000L;
    byte[] req = PromPb.writeRequest(List.of(PromPb.Series.of(
        Labels.of("__name__", "rw_future"), new long[] {1_700_000_000_000L, future},
        new double[] {1, 2})), List.of());
    HttpResponse<String> r = ts.write(req);
    assertEquals(400, r.statusCode());
    assertEquals("1 sample rejected; first: out of bounds for series {__name__=\"rw_future\"} at"
        + " timestamp " + future + "\n", r.body());
    assertTrue(ts.get("/api/v1/label/__name__/values").body().contains("\"rw_future\""));
  }

  @Test
  void metadataIsServed() throws Exception {
    byte[] req = PromPb.writeRequest(List.of(), List.of(
        new PromPb.Metadata(2, "rw_meta", "A <gauge>.", "bytes")));
    assertEquals(204, ts.write(req).statusCode());
    assertEquals("{\"status\":\"success\",\"data\":{\"rw_meta\":[{\"type\":\"gauge\",\"unit\":"
            + "\"bytes\",\"help\":\"A \\u003cgauge\\u003e.\"}]}}",
        ts.get("/api/v1/metadata?metric=rw_meta").body());
  }

  @Test
  void wrongMethodIs405() throws Exception {
    HttpResponse<String> r = ts.get("/api/v1/write");
    assertEquals(405, r.statusCode());
    assertEquals("POST", r.headers().firstValue("Allow").orElse(""));
  }
}
