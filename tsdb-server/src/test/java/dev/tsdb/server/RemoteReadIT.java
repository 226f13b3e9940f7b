package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.testkit.reference.Prometheus;
import dev.tsdb.testkit.reference.PrometheusRelease;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Remote read: our own protobuf client, and Prometheus (2.42 and 3.5) reading through
 * remote_read.
 */
class RemoteReadIT {
  @TempDir
  Path dir;

  private static final long T0 = System.currentTimeMillis() / 60_000 * 60_000 - 3_600_000;

  private static byte[] readRequest(long start, long end, int[] types, String... matchers)
      throws Exception {
    ByteArrayOutputStream q = new ByteArrayOutputStream();
    CodedOutputStream qo = CodedOutputStream.newInstance(q);
    qo.writeInt64(1, start);
    qo.writeInt64(2, end);
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
    for (int t : types) {
      ro.writeEnum(2, t);
    }
    ro.flush();
    return r.toByteArray();
  }

  /** Decodes a ReadResponse into lines "labels t=v t=v" per series, per query. */
  private static List<List<String>> decode(byte[] body) throws Exception {
    byte[] raw = new byte[SnappyDecompressor.getUncompressedLength(body, 0)];
    new SnappyDecompressor().decompress(body, 0, body.length, raw, 0, raw.length);
    List<List<String>> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(raw);
    for (int tag; (tag = in.readTag()) != 0; ) {
      CodedInputStream qr = CodedInputStream.newInstance(in.readByteArray());
      List<String> series = new ArrayList<>();
      for (int t2; (t2 = qr.readTag()) != 0; ) {
        CodedInputStream ts = CodedInputStream.newInstance(qr.readByteArray());
        StringBuilder sb = new StringBuilder();
        for (int t3; (t3 = ts.readTag()) != 0; ) {
          CodedInputStream m = CodedInputStream.newInstance(ts.readByteArray());
          if (WireFormat.getTagFieldNumber(t3) == 1) {
            m.readTag();
            String n = m.readString();
            m.readTag();
            sb.append(n).append('=').append(m.readString()).append(',');
          } else {
            m.readTag();
            double v = m.readDouble();
            m.readTag();
            sb.append(' ').append(m.readInt64()).append('=').append(v);
          }
        }
        series.add(sb.toString());
      }
      out.add(series);
    }
    return out;
  }

  /**
   * Decodes a streamed response as Prometheus's ChunkedReader does (uvarint size, big-endian
   * CRC-32C, ChunkedReadResponse), checking each frame's CRC; lines "labels t=v t=v" per series.
   */
  private static List<String> decodeStreamed(byte[] body) throws Exception {
    List<String> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(body);
    while (!in.isAtEnd()) {
      int size = (int) in.readRawVarint64();
      byte[] crc = in.readRawBytes(4);
      byte[] msg = in.readRawBytes(size);
      java.util.zip.CRC32C c = new java.util.zip.CRC32C();
      c.update(msg);
      assertEquals(java.nio.ByteBuffer.wrap(crc).getInt() & 0xffffffffL, c.getValue());
      CodedInputStream frame = CodedInputStream.newInstance(msg);
      for (int tag; (tag = frame.readTag()) != 0; ) {
        if (WireFormat.getTagFieldNumber(tag) != 1) {
          frame.skipField(tag);
          continue;
        }
        CodedInputStream series = CodedInputStream.newInstance(frame.readByteArray());
        StringBuilder sb = new StringBuilder();
        for (int t2; (t2 = series.readTag()) != 0; ) {
          CodedInputStream f = CodedInputStream.newInstance(series.readByteArray());
          if (WireFormat.getTagFieldNumber(t2) == 1) {
            f.readTag();
            String n = f.readString();
            f.readTag();
            sb.append(n).append('=').append(f.readString()).append(',');
            continue;
          }
          byte[] data = null;
          for (int t3; (t3 = f.readTag()) != 0; ) {
            if (WireFormat.getTagFieldNumber(t3) == 4) {
              data = f.readByteArray();
            } else {
              f.skipField(t3);
            }
          }
          dev.tsdb.head.chunkenc.XorIterator it = new dev.tsdb.head.chunkenc.XorIterator()
              .reset(data, 0, data.length);
          while (it.next() == dev.tsdb.index.storage.ValueType.FLOAT) {
            sb.append(' ').append(it.t()).append('=').append(it.v());
          }
        }
        out.add(sb.toString());
      }
    }
    return out;
  }

  @Test
  void servesSamplesToOurClient() throws Exception {
    try (TestServer ts = new TestServer(dir)) {
      assertEquals(204, ts.write(PromPb.writeRequest(List.of(
          PromPb.Series.of(Labels.of("__name__", "rr", "job", "a"), new long[] {T0, T0 + 1000},
              new double[] {1, 2}),
          PromPb.Series.of(Labels.of("__name__", "rr", "job", "b"), new long[] {T0},
              new double[] {3})), List.of())).statusCode());
      HttpResponse<byte[]> r = ts.http.send(HttpRequest.newBuilder(
              URI.create(ts.base + "/api/v1/read"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(TestServer.snappy(readRequest(
              T0, T0 + 500, new int[] {0, 1}, "0", "__name__", "rr"))))
          .header("Content-Type", "application/x-protobuf")
          .header("Content-Encoding", "snappy").build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      assertEquals("snappy", r.headers().firstValue("Content-Encoding").orElse(""));
      assertEquals(List.of(List.of("__name__=rr,job=a, " + T0 + "=1.0",
          "__name__=rr,job=b, " + T0 + "=3.0")), decode(r.body()));

      // STREAMED_XOR_CHUNKS preferred: the database's chunks in checked frames (the range
      // covers whole chunks: chunks crossing its bounds may come whole or trimmed).
      r = ts.http.send(HttpRequest.newBuilder(URI.create(ts.base + "/api/v1/read"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(TestServer.snappy(readRequest(
              T0, T0 + 1000, new int[] {1, 0}, "0", "__name__", "rr")))).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      assertEquals("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse",
          r.headers().firstValue("Content-Type").orElse(""));
      assertEquals(List.of("__name__=rr,job=a, " + T0 + "=1.0 " + (T0 + 1000) + "=2.0",
          "__name__=rr,job=b, " + T0 + "=3.0"), decodeStreamed(r.body()));
      r = ts.http.send(HttpRequest.newBuilder(URI.create(ts.base + "/api/v1/read"))
          .POST(HttpRequest.BodyPublishers.ofByteArray("junk".getBytes(StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(400, r.statusCode());
    }
  }

  /** Both the older and the current Prometheus as remote-read clients. */
  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void prometheusReadsThroughRemoteRead(PrometheusRelease release) throws Exception {
    try (TestServer ts = new TestServer(dir.resolve("tsdb"))) {
      assertEquals(204, ts.write(PromPb.writeRequest(List.of(
          PromPb.Series.of(Labels.of("__name__", "rr_prom", "job", "x"),
              new long[] {T0, T0 + 15_000}, new double[] {1.5, 2.5})), List.of())).statusCode());
      try (Prometheus prom = Prometheus.in(release, dir.resolve("prom")).config(
          "remote_read:\n  - url: " + ts.base + "/api/v1/read\n    read_recent: true\n").start()) {
        HttpResponse<String> r = prom.get("/api/v1/query?query=rr_prom&time="
            + (T0 + 20_000) / 1000.0);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{\"__name__\":\"rr_prom\",\"job\":\"x\"},\"value\":["
            + (T0 + 20_000) / 1000 + ",\"2.5\"]}]}}", r.body());
        assertTrue(Files.exists(prom.log()));
      }
    }
  }
}
