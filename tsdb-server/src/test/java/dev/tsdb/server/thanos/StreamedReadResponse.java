package dev.tsdb.server.thanos;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.tsdb.head.chunkenc.XorIterator;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A STREAMED_XOR_CHUNKS remote-read body decoded the way the sidecar's chunked reader consumes
 * it: frames of (uvarint length, big-endian CRC-32C of the message, ChunkedReadResponse), each
 * frame's checksum verified, every chunk's XOR data decoded.
 *
 * @param frames number of frames
 * @param seriesPerFrame how many series each frame held (the sidecar expects 1 and warns
 *     otherwise)
 */
record StreamedReadResponse(List<Series> series, int frames, List<Integer> seriesPerFrame) {

  /** One chunk as sent: its declared range and encoding plus the samples in its data. */
  record Chunk(long minTimeMs, long maxTimeMs, int type, long[] t, double[] v) {}

  /** Labels in the order sent (name, value, name, value...) and the chunks in the order sent. */
  record Series(List<String> labels, List<Chunk> chunks) {
    String labelText() {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < labels.size(); i += 2) {
        sb.append(i == 0 ? "" : ",").append(labels.get(i)).append("=\"")
            .append(labels.get(i + 1)).append('"');
      }
      return sb.append('}').toString();
    }

    /** "labels t=v t=v ..." over every chunk, for comparisons that ignore chunk boundaries. */
    String samplesText() {
      StringBuilder sb = new StringBuilder(labelText());
      for (Chunk c : chunks) {
        for (int i = 0; i < c.t().length; i++) {
          sb.append(' ').append(c.t()[i]).append('=').append(c.v()[i]);
        }
      }
      return sb.toString();
    }
  }

  static StreamedReadResponse decode(byte[] body) throws IOException {
    List<Series> series = new ArrayList<>();
    List<Integer> perFrame = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(body);
    while (!in.isAtEnd()) {
      int size = (int) in.readRawVarint64();
      long crc = ByteBuffer.wrap(in.readRawBytes(4)).getInt() & 0xffffffffL;
      byte[] msg = in.readRawBytes(size);
      CRC32C c = new CRC32C();
      c.update(msg);
      if (c.getValue() != crc) {
        throw new IOException("frame " + perFrame.size() + ": CRC mismatch");
      }
      int before = series.size();
      CodedInputStream frame = CodedInputStream.newInstance(msg);
      for (int tag; (tag = frame.readTag()) != 0; ) {
        if (WireFormat.getTagFieldNumber(tag) == 1) {
          series.add(series(frame.readByteArray()));
        } else {
          frame.skipField(tag);
        }
      }
      perFrame.add(series.size() - before);
    }
    return new StreamedReadResponse(series, perFrame.size(), perFrame);
  }

  private static Series series(byte[] b) throws IOException {
    List<String> labels = new ArrayList<>();
    List<Chunk> chunks = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(b);
    for (int tag; (tag = in.readTag()) != 0; ) {
      CodedInputStream f = CodedInputStream.newInstance(in.readByteArray());
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        String name = "";
        String value = "";
        for (int t; (t = f.readTag()) != 0; ) {
          if (WireFormat.getTagFieldNumber(t) == 1) {
            name = f.readString();
          } else {
            value = f.readString();
          }
        }
        labels.add(name);
        labels.add(value);
      } else {
        chunks.add(chunk(f));
      }
    }
    return new Series(labels, chunks);
  }

  private static Chunk chunk(CodedInputStream f) throws IOException {
    long min = 0;
    long max = 0;
    int type = 0;
    byte[] data = new byte[0];
    for (int t; (t = f.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(t)) {
        case 1 -> min = f.readInt64();
        case 2 -> max = f.readInt64();
        case 3 -> type = f.readEnum();
        case 4 -> data = f.readByteArray();
        default -> f.skipField(t);
      }
    }
    List<long[]> ts = new ArrayList<>();
    List<Double> vs = new ArrayList<>();
    if (type == 1) { // XOR; the sidecar maps Prometheus's encoding n to its own n - 1
      XorIterator it = new XorIterator().reset(data, 0, data.length);
      while (it.next() == ValueType.FLOAT) {
        ts.add(new long[] {it.t()});
        vs.add(it.v());
      }
    }
    long[] t = new long[ts.size()];
    double[] v = new double[vs.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = ts.get(i)[0];
      v[i] = vs.get(i);
    }
    return new Chunk(min, max, type, t, v);
  }
}
