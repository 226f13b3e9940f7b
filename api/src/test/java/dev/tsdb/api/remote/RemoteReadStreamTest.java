package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.tsdb.api.FixedStatus;
import dev.tsdb.api.WebHandler;
import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.Storage;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.MemStorage;
import io.airlift.compress.snappy.SnappyCompressor;
import io.undertow.Undertow;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed remote read (STREAMED_XOR_CHUNKS) on a real socket: a hand-built ReadRequest, the
 * framed response decoded as Prometheus's ChunkedReader does (uvarint size, big-endian CRC-32C,
 * message), CRCs checked, chunks decoded back into the samples written.
 */
class RemoteReadStreamTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private Undertow undertow;
  private String base;

  private static final long T0 = 1_700_000_000_000L;

  private void start(Storage storage, Labels external, int maxBytesInFrame) {
    QueryEngine none = new QueryEngine() {
      @Override
      public QueryResult instantQuery(Queryable s, String q, long t, QueryOptions o) {
        throw new PromQLException(ErrorType.BAD_DATA, "unused");
      }

      @Override
      public QueryResult rangeQuery(Queryable s, String q, long a, long b, long st,
          QueryOptions o) {
        throw new PromQLException(ErrorType.BAD_DATA, "unused");
      }
    };
    WebHandler web = WebHandler.builder().storage(storage).engine(none)
        .selectorParser(s -> {
          throw new PromQLException(ErrorType.BAD_DATA, "unused");
        })
        .status(FixedStatus.minimal()).externalLabels(() -> external)
        .remoteReadMaxBytesInFrame(maxBytesInFrame).build();
    web.readiness().markReady();
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(web.handler())
        .build();
    undertow.start();
    base = "http://127.0.0.1:"
        + ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
  }

  @AfterEach
  void stop() {
    if (undertow != null) {
      undertow.stop();
    }
  }

  /** 300 samples of "a" (3 chunks of 120/120/60) and 10 of "b", 15 s apart. */
  private static ChunkedMemStorage storage() throws Exception {
    ChunkedMemStorage s = new ChunkedMemStorage(120);
    Appender a = s.appender();
    for (int i = 0; i < 300; i++) {
      a.append(0, Labels.of("__name__", "m", "job", "a"), T0 + 15_000L * i, i * 1.5);
    }
    for (int i = 0; i < 10; i++) {
      a.append(0, Labels.of("__name__", "m", "job", "b"), T0 + 15_000L * i, -i);
    }
    a.commit();
    return s;
  }

  /** A Query message: start, end, matchers as (type, name, value) triples. */
  static byte[] query(long start, long end, String... matchers) throws IOException {
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
    return q.toByteArray();
  }

  static byte[] readRequest(List<byte[]> queries, int... types) throws IOException {
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(r);
    for (byte[] q : queries) {
      ro.writeByteArray(1, q);
    }
    for (int t : types) {
      ro.writeEnum(2, t);
    }
    ro.flush();
    return r.toByteArray();
  }

  private HttpResponse<byte[]> post(byte[] raw) throws Exception {
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(raw.length)];
    int n = c.compress(raw, 0, raw.length, out, 0, out.length);
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/read"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .header("Accept-Encoding", "gzip") // must not gzip the stream
        .POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(out, n))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** One decoded frame: its query index, the series labels and chunks. */
  record Frame(long queryIndex, Map<String, String> labels, List<Chunk> chunks, int size) {}

  record Chunk(long minTime, long maxTime, int type, byte[] data) {}

  /** Prometheus's ChunkedReader: uvarint size, big-endian CRC-32C, then the message. */
  static List<Frame> frames(byte[] body) throws IOException {
    List<Frame> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(body);
    while (!in.isAtEnd()) {
      int size = (int) in.readRawVarint64();
      byte[] crc = in.readRawBytes(4);
      byte[] msg = in.readRawBytes(size);
      CRC32C c = new CRC32C();
      c.update(msg);
      long want = ((crc[0] & 0xffL) << 24) | ((crc[1] & 0xff) << 16) | ((crc[2] & 0xff) << 8)
          | (crc[3] & 0xff);
      assertEquals(want, c.getValue(), "frame checksum");
      out.add(frame(msg));
    }
    return out;
  }

  private static Frame frame(byte[] msg) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(msg);
    long index = 0;
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    List<Chunk> chunks = new ArrayList<>();
    int seriesCount = 0;
    for (int tag; (tag = in.readTag()) != 0; ) {
      if (tag >>> 3 == 2) {
        index = in.readInt64();
        continue;
      }
      seriesCount++;
      CodedInputStream s = CodedInputStream.newInstance(in.readByteArray());
      for (int t2; (t2 = s.readTag()) != 0; ) {
        CodedInputStream f = CodedInputStream.newInstance(s.readByteArray());
        if (t2 >>> 3 == 1) {
          String n = "";
          String v = "";
          for (int t3; (t3 = f.readTag()) != 0; ) {
            if (t3 >>> 3 == 1) {
              n = f.readString();
            } else {
              v = f.readString();
            }
          }
          labels.put(n, v);
        } else {
          long min = 0;
          long max = 0;
          int type = 0;
          byte[] data = new byte[0];
          for (int t3; (t3 = f.readTag()) != 0; ) {
            switch (t3 >>> 3) {
              case 1 -> min = f.readInt64();
              case 2 -> max = f.readInt64();
              case 3 -> type = f.readEnum();
              default -> data = f.readByteArray();
            }
          }
          chunks.add(new Chunk(min, max, type, data));
        }
      }
    }
    assertEquals(1, seriesCount, "one series per frame");
    return new Frame(index, labels, chunks, msg.length);
  }

  /** The samples of a list of chunks as "t=v" strings, checking each chunk's time bounds. */
  static List<String> samples(List<Chunk> chunks) {
    List<String> out = new ArrayList<>();
    XorIterator it = new XorIterator();
    for (Chunk c : chunks) {
      assertEquals(1, c.type(), "XOR encoding");
      it.reset(c.data(), 0, c.data().length);
      long first = Long.MIN_VALUE;
      long last = 0;
      while (it.next() == ValueType.FLOAT) {
        if (first == Long.MIN_VALUE) {
          first = it.t();
        }
        last = it.t();
        out.add(it.t() + "=" + it.v());
      }
      assertEquals(c.minTime(), first);
      assertEquals(c.maxTime(), last);
    }
    return out;
  }

  @Test
  void streamsXorChunksInCheckedFrames() throws Exception {
    start(storage(), Labels.EMPTY, 1 << 20);
    HttpResponse<byte[]> r = post(readRequest(List.of(
        query(T0, T0 + 3_600_000, "0", "__name__", "m")), 1, 0));
    assertEquals(200, r.statusCode(), new String(r.body()));
    assertEquals(RemoteReadHandler.STREAMED_CONTENT_TYPE,
        r.headers().firstValue("Content-Type").orElse(""));
    assertFalse(r.headers().firstValue("Content-Encoding").isPresent());
    List<Frame> frames = frames(r.body());
    assertEquals(2, frames.size());
    assertEquals(Map.of("__name__", "m", "job", "a"), frames.get(0).labels());
    assertEquals(List.of("__name__", "job"), List.copyOf(frames.get(0).labels().keySet()));
    assertEquals(3, frames.get(0).chunks().size());
    List<String> got = samples(frames.get(0).chunks());
    assertEquals(300, got.size());
    for (int i = 0; i < 300; i++) {
      assertEquals((T0 + 15_000L * i) + "=" + (i * 1.5), got.get(i));
    }
    assertEquals(Map.of("__name__", "m", "job", "b"), frames.get(1).labels());
    assertEquals(10, samples(frames.get(1).chunks()).size());
    assertEquals(0, frames.get(0).queryIndex());
  }

  @Test
  void wholeChunksOverlappingTheRangeAreSent() throws Exception {
    start(storage(), Labels.EMPTY, 1 << 20);
    // [T0+1900s, T0+2000s] lies in a's second chunk only (samples 120..239).
    HttpResponse<byte[]> r = post(readRequest(List.of(
        query(T0 + 1_900_000, T0 + 2_000_000, "0", "job", "a")), 1));
    List<Frame> frames = frames(r.body());
    assertEquals(1, frames.size());
    assertEquals(1, frames.get(0).chunks().size());
    assertEquals(T0 + 15_000L * 120, frames.get(0).chunks().get(0).minTime());
    assertEquals(T0 + 15_000L * 239, frames.get(0).chunks().get(0).maxTime());
  }

  @Test
  void seriesAreSplitIntoFramesByMaxBytesAndCarryTheirQueryIndex() throws Exception {
    start(storage(), Labels.EMPTY, 100);
    HttpResponse<byte[]> r = post(readRequest(List.of(
        query(T0, T0 + 3_600_000, "0", "job", "b"),
        query(T0, T0 + 3_600_000, "0", "job", "a")), 1));
    List<Frame> frames = frames(r.body());
    // b: one chunk, one frame; a: three chunks, each alone above the 100-byte budget.
    assertEquals(4, frames.size());
    assertEquals(0, frames.get(0).queryIndex());
    assertEquals("b", frames.get(0).labels().get("job"));
    List<Chunk> all = new ArrayList<>();
    for (Frame f : frames.subList(1, 4)) {
      assertEquals(1, f.queryIndex());
      assertEquals("a", f.labels().get("job"));
      assertEquals(1, f.chunks().size());
      all.addAll(f.chunks());
    }
    assertEquals(300, samples(all).size());
  }

  @Test
  void externalLabelsAreAddedAndTheirMatchersMeanAbsent() throws Exception {
    ChunkedMemStorage s = storage();
    Appender a = s.appender();
    a.append(0, Labels.of("__name__", "m", "job", "c", "region", "us"), T0, 7);
    a.commit();
    start(s, Labels.of("region", "eu", "zone", "z1"), 1 << 20);
    // region="eu" is the external value: it selects the series stored without region.
    HttpResponse<byte[]> r = post(readRequest(List.of(
        query(T0, T0 + 3_600_000, "0", "__name__", "m", "0", "region", "eu")), 1));
    List<Frame> frames = frames(r.body());
    assertEquals(2, frames.size());
    assertEquals(Map.of("__name__", "m", "job", "a", "region", "eu", "zone", "z1"),
        frames.get(0).labels());
    assertEquals(List.of("__name__", "job", "region", "zone"),
        List.copyOf(frames.get(0).labels().keySet()));
    // A series's own value wins over the external one.
    r = post(readRequest(List.of(query(T0, T0 + 3_600_000, "0", "job", "c")), 1));
    frames = frames(r.body());
    assertEquals(Map.of("__name__", "m", "job", "c", "region", "us", "zone", "z1"),
        frames.get(0).labels());
  }

  @Test
  void withoutChunksStreamingIsNotOffered() throws Exception {
    MemStorage mem = new MemStorage();
    Appender a = mem.appender();
    a.append(0, Labels.of("__name__", "m"), T0, 1);
    a.commit();
    start(mem, Labels.EMPTY, 1 << 20);
    byte[] q = query(T0, T0 + 1000, "0", "__name__", "m");
    HttpResponse<byte[]> r = post(readRequest(List.of(q), 1));
    assertEquals(400, r.statusCode());
    assertEquals("server does not support any of the requested response types:"
        + " [STREAMED_XOR_CHUNKS]; supported: map[SAMPLES:{}]\n", new String(r.body()));
    r = post(readRequest(List.of(q), 1, 0));
    assertEquals(200, r.statusCode());
    assertEquals("application/x-protobuf", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("snappy", r.headers().firstValue("Content-Encoding").orElse(""));
    r = post(readRequest(List.of(q)));
    assertEquals("snappy", r.headers().firstValue("Content-Encoding").orElse(""));
  }

  @Test
  void chunkedWriterFramesAsPrometheus() throws Exception {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    ChunkedWriter w = new ChunkedWriter(bos);
    byte[] msg = new byte[300];
    Arrays.fill(msg, (byte) 'x');
    w.write(msg, 0, msg.length);
    w.write(msg, 0, 0); // empty frames are not written
    byte[] b = bos.toByteArray();
    assertEquals(2 + 4 + 300, b.length);
    assertEquals((byte) 0xac, b[0]); // 300 as uvarint: 0xac 0x02
    assertEquals((byte) 0x02, b[1]);
    CRC32C c = new CRC32C();
    c.update(msg);
    long crc = c.getValue();
    assertEquals((byte) (crc >>> 24), b[2]);
    assertEquals((byte) crc, b[5]);
    assertTrue(frames(new byte[0]).isEmpty());
  }
}
