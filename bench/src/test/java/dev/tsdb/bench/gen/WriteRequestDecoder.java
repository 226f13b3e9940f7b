package dev.tsdb.bench.gen;

import com.google.protobuf.CodedInputStream;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Test-side decoder of snappy remote-write requests, written from the .proto, not the encoder. */
final class WriteRequestDecoder {
  record Sample(List<String> labels, double value, long timestampMs) {}

  private WriteRequestDecoder() {}

  static List<Sample> decode(byte[] compressed) throws IOException {
    SnappyDecompressor d = new SnappyDecompressor();
    byte[] raw = new byte[SnappyDecompressor.getUncompressedLength(compressed, 0)];
    int n = d.decompress(compressed, 0, compressed.length, raw, 0, raw.length);
    if (n != raw.length) {
      throw new IOException("short snappy block");
    }
    List<Sample> out = new ArrayList<>();
    CodedInputStream in = CodedInputStream.newInstance(raw);
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      if (tag != (1 << 3 | 2)) {
        throw new IOException("unexpected WriteRequest field tag " + tag);
      }
      CodedInputStream ts = CodedInputStream.newInstance(in.readByteArray());
      List<String> labels = new ArrayList<>();
      List<double[]> samples = new ArrayList<>();
      while (!ts.isAtEnd()) {
        int t = ts.readTag();
        CodedInputStream m = CodedInputStream.newInstance(ts.readByteArray());
        if (t == (1 << 3 | 2)) {
          String name = "";
          String value = "";
          while (!m.isAtEnd()) {
            int f = m.readTag();
            if (f == (1 << 3 | 2)) {
              name = m.readString();
            } else if (f == (2 << 3 | 2)) {
              value = m.readString();
            } else {
              throw new IOException("unexpected Label field " + f);
            }
          }
          labels.add(name);
          labels.add(value);
        } else if (t == (2 << 3 | 2)) {
          double v = 0;
          long time = 0;
          while (!m.isAtEnd()) {
            int f = m.readTag();
            if (f == (1 << 3 | 1)) {
              v = m.readDouble();
            } else if (f == (2 << 3)) {
              time = m.readInt64();
            } else {
              throw new IOException("unexpected Sample field " + f);
            }
          }
          samples.add(new double[] {v, time});
        } else {
          throw new IOException("unexpected TimeSeries field " + t);
        }
      }
      for (double[] s : samples) {
        out.add(new Sample(labels, s[0], (long) s[1]));
      }
    }
    return out;
  }
}
