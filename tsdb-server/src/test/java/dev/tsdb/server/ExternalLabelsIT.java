package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * global.external_labels on federation and remote read, compared with Prometheus 3.5
 * holding the same data under the same configuration, plus a Prometheus reading us through
 * remote_read with external labels of its own.
 */
class ExternalLabelsIT {
  @TempDir
  static Path dir;
  static TestServer ours;
  static Prometheus prom;
  static final String CONFIG = "global:\n  external_labels:\n    region: eu\n    replica: a\n";
  static final long NOW = System.currentTimeMillis();

  @BeforeAll
  static void start() throws Exception {
    Path tsdbDir = dir.resolve("tsdb");
    Files.createDirectories(tsdbDir);
    Files.writeString(tsdbDir.resolve("prometheus.yml"), CONFIG);
    ours = new TestServer(tsdbDir);
    prom = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("prom")).config(CONFIG).start();
    byte[] data = PromPb.writeRequest(List.of(
        PromPb.Series.raw(new String[] {"__name__", "el_a", "job", "x"},
            new long[] {NOW - 60_000, NOW - 30_000}, new double[] {1, 2}),
        PromPb.Series.raw(new String[] {"__name__", "el_a", "job", "y", "region", "us"},
            new long[] {NOW - 45_000}, new double[] {3}),
        PromPb.Series.raw(new String[] {"__name__", "el_b", "instance", "i1", "replica", "b"},
            new long[] {NOW - 20_000}, new double[] {4})), List.of());
    assertEquals(204, ours.write(data).statusCode());
    assertEquals(204, prom.write(data).statusCode());
  }

  @AfterAll
  static void stop() {
    if (prom != null) {
      prom.close();
    }
    if (ours != null) {
      ours.close();
    }
  }

  @Test
  void federationAddsMissingExternalLabelsAsPrometheus() throws Exception {
    for (String match : new String[] {"{__name__=~\"el_.*\"}", "el_a", "el_b{replica=\"b\"}"}) {
      String path = "/federate?match[]=" + TestServer.enc(match);
      HttpResponse<String> want = prom.get(path);
      HttpResponse<String> got = ours.get(path);
      assertEquals(want.statusCode(), got.statusCode(), match);
      assertEquals(want.body(), got.body(), match);
    }
    String body = ours.get("/federate?match[]=el_a").body();
    assertTrue(body.contains("el_a{job=\"x\",instance=\"\",region=\"eu\",replica=\"a\"} 2 "),
        body);
    assertTrue(body.contains("el_a{job=\"y\",region=\"us\",instance=\"\",replica=\"a\"} 3 "),
        body);
  }

  private static byte[] readRequest(String... matchers) throws Exception {
    ByteArrayOutputStream q = new ByteArrayOutputStream();
    CodedOutputStream qo = CodedOutputStream.newInstance(q);
    qo.writeInt64(1, NOW - 300_000);
    qo.writeInt64(2, NOW);
    for (int i = 0; i < matchers.length; i += 3) {
      ByteArrayOutputStream m = new ByteArrayOutputStream();
      CodedOutputStream mo = CodedOutputStream.newInstance(m);
      mo.writeEnum(1, Integer.parseInt(matchers[i]));
      mo.writeString(2, matchers[i + 1]);
      mo.writeString(3, matchers[i + 2]);
      mo.flush();
      qo.writeByteArray(3, m.toByteArray());
    }
    qo.flush();
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(r);
    ro.writeByteArray(1, q.toByteArray());
    ro.flush();
    return r.toByteArray();
  }

  /** The series of a SAMPLES ReadResponse as "labels samples" lines, sorted. */
  private static TreeSet<String> read(String base, byte[] request) throws Exception {
    HttpResponse<byte[]> r = ours.http.send(HttpRequest.newBuilder(
            URI.create(base + "/api/v1/read"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .POST(HttpRequest.BodyPublishers.ofByteArray(TestServer.snappy(request))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode(), new String(r.body()));
    byte[] body = r.body();
    byte[] raw = new byte[SnappyDecompressor.getUncompressedLength(body, 0)];
    new SnappyDecompressor().decompress(body, 0, body.length, raw, 0, raw.length);
    TreeSet<String> out = new TreeSet<>();
    CodedInputStream in = CodedInputStream.newInstance(raw);
    for (int tag; (tag = in.readTag()) != 0; ) {
      CodedInputStream qr = CodedInputStream.newInstance(in.readByteArray());
      for (int t2; (t2 = qr.readTag()) != 0; ) {
        CodedInputStream ts = CodedInputStream.newInstance(qr.readByteArray());
        List<String> parts = new ArrayList<>();
        for (int t3; (t3 = ts.readTag()) != 0; ) {
          CodedInputStream m = CodedInputStream.newInstance(ts.readByteArray());
          StringBuilder sb = new StringBuilder();
          for (int t4; (t4 = m.readTag()) != 0; ) {
            switch (t4) {
              case (1 << 3) | 2 -> sb.append(m.readString()).append('=');
              case (2 << 3) | 2 -> sb.append(m.readString());
              case (1 << 3) | 1 -> sb.append(m.readDouble()).append('@');
              case (2 << 3) -> sb.append(m.readInt64());
              default -> m.skipField(t4);
            }
          }
          parts.add(sb.toString());
        }
        out.add(String.join(" ", parts));
      }
    }
    return out;
  }

  @Test
  void remoteReadAnswersAsPrometheus() throws Exception {
    String[][] requests = {
        {"0", "__name__", "el_a"},
        {"0", "__name__", "el_a", "0", "region", "eu"},
        {"0", "__name__", "el_a", "0", "region", "us"},
        {"2", "__name__", "el_.*", "0", "replica", "a"},
        {"2", "__name__", "el_.*", "2", "region", "e.*"},
    };
    for (String[] m : requests) {
      TreeSet<String> want = read(prom.base(), readRequest(m));
      TreeSet<String> got = read(ours.base, readRequest(m));
      assertEquals(want, got, String.join(" ", m));
    }
    assertEquals(1, read(ours.base, readRequest("0", "__name__", "el_a", "0", "region", "eu"))
        .size());
  }

  @Test
  void prometheusWithExternalLabelsReadsUs() throws Exception {
    // The reader adds region="eu" to its selectors and strips it from what comes back.
    try (Prometheus reader = Prometheus.in(PrometheusRelease.V3_5, dir.resolve("reader"))
        .config("global:\n  external_labels:\n    region: eu\nremote_read:\n  - url: "
            + ours.base + "/api/v1/read\n    read_recent: true\n").start()) {
      long t = NOW / 1000;
      HttpResponse<String> r = reader.get("/api/v1/query?query=el_a&time=" + t);
      assertEquals(200, r.statusCode(), r.body());
      assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
          + "[{\"metric\":{\"__name__\":\"el_a\",\"job\":\"x\",\"replica\":\"a\"},\"value\":["
          + t + ",\"2\"]}]}}", r.body());
    }
  }
}
