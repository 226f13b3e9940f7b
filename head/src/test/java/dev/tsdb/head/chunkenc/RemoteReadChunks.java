package dev.tsdb.head.chunkenc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.testkit.process.HttpEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Reads a reference Prometheus's chunks raw, as its head or blocks hold them, through remote
 * read's STREAMED_XOR_CHUNKS response: the interop tests compare them byte for byte with ours.
 */
final class RemoteReadChunks {
  /** One chunk as sent: its encoding (1 XOR, 2 histogram, 3 float histogram) and data. */
  record Chunk(int encoding, byte[] data) {
    String hex() {
      return HexFormat.of().formatHex(data);
    }
  }

  private RemoteReadChunks() {}

  /**
   * The chunks of every series named {@code metric}, keyed by the value of its {@code series}
   * label, in time order.
   */
  static Map<String, List<Chunk>> read(String base, String metric) throws Exception {
    Proto matcher = new Proto();
    matcher.varint(1, 0); // EQ
    matcher.string(2, "__name__");
    matcher.string(3, metric);
    Proto query = new Proto();
    query.varint(1, 0);
    // The head reports its open chunk as ending at MaxInt64; any smaller end makes Prometheus
    // trim, i.e. re-encode, that chunk instead of sending its bytes.
    query.varint(2, Long.MAX_VALUE);
    query.message(3, matcher);
    Proto req = new Proto();
    req.message(1, query);
    req.varint(2, 1); // accepted_response_types: STREAMED_XOR_CHUNKS
    HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/api/v1/read"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .header("X-Prometheus-Remote-Read-Version", "0.1.0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(HttpEndpoint.snappy(req.bytes()))).build();
    HttpResponse<byte[]> resp = HttpClient.newHttpClient().send(r,
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, resp.statusCode(), () -> new String(resp.body()));
    byte[] body = resp.body();
    assertEquals("application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse",
        resp.headers().firstValue("Content-Type").orElse(""), () -> "body " + body.length + ": "
        + HexFormat.of().formatHex(body, 0, Math.min(64, body.length)));
    Map<String, List<Chunk>> out = new TreeMap<>();
    int[] pos = {0};
    while (pos[0] < body.length) {
      int len = (int) uvarint(body, pos);
      long crc = ((body[pos[0]] & 0xffL) << 24) | ((body[pos[0] + 1] & 0xff) << 16)
          | ((body[pos[0] + 2] & 0xff) << 8) | (body[pos[0] + 3] & 0xff);
      pos[0] += 4;
      CRC32C c = new CRC32C();
      c.update(body, pos[0], len);
      assertEquals(crc, c.getValue(), "frame checksum");
      parseResponse(body, pos[0], pos[0] + len, out);
      pos[0] += len;
    }
    return out;
  }

  static List<String> hex(List<byte[]> chunks) {
    List<String> out = new ArrayList<>();
    for (byte[] c : chunks) {
      out.add(HexFormat.of().formatHex(c));
    }
    return out;
  }

  private static void parseResponse(byte[] b, int from, int to, Map<String, List<Chunk>> out) {
    for (Field f : fields(b, from, to)) {
      if (f.num != 1) {
        continue; // query_index
      }
      String id = null;
      List<Chunk> chunks = new ArrayList<>();
      for (Field sf : fields(b, f.from, f.to)) {
        if (sf.num == 1) {
          String name = null;
          String value = null;
          for (Field lf : fields(b, sf.from, sf.to)) {
            String s = new String(b, lf.from, lf.to - lf.from, StandardCharsets.UTF_8);
            if (lf.num == 1) {
              name = s;
            } else {
              value = s;
            }
          }
          if ("series".equals(name)) {
            id = value;
          }
        } else if (sf.num == 2) {
          int encoding = 0;
          byte[] data = null;
          for (Field cf : fields(b, sf.from, sf.to)) {
            if (cf.num == 3) {
              encoding = (int) cf.value;
            } else if (cf.num == 4) {
              data = Arrays.copyOfRange(b, cf.from, cf.to);
            }
          }
          chunks.add(new Chunk(encoding, data));
        }
      }
      out.computeIfAbsent(id, k -> new ArrayList<>()).addAll(chunks);
    }
  }

  private record Field(int num, long value, int from, int to) {}

  private static List<Field> fields(byte[] b, int from, int to) {
    List<Field> out = new ArrayList<>();
    int[] pos = {from};
    while (pos[0] < to) {
      long key = uvarint(b, pos);
      int num = (int) (key >>> 3);
      switch ((int) (key & 7)) {
        case 0 -> out.add(new Field(num, uvarint(b, pos), 0, 0));
        case 1 -> pos[0] += 8;
        case 5 -> pos[0] += 4;
        case 2 -> {
          int len = (int) uvarint(b, pos);
          out.add(new Field(num, 0, pos[0], pos[0] + len));
          pos[0] += len;
        }
        default -> throw new IllegalStateException("wire type " + (key & 7));
      }
    }
    return out;
  }

  private static long uvarint(byte[] b, int[] pos) {
    long x = 0;
    for (int shift = 0; ; shift += 7) {
      int v = b[pos[0]++] & 0xff;
      x |= (long) (v & 0x7f) << shift;
      if (v < 0x80) {
        return x;
      }
    }
  }
}
