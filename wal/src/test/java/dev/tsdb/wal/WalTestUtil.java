package dev.tsdb.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

final class WalTestUtil {
  private WalTestUtil() {}

  /** A record whose bytes are derived from its seed, so any damage or mix-up is visible. */
  static byte[] record(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /** Compressible data (for snappy tests). */
  static byte[] textRecord(int seq, int size) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < size) {
      sb.append("sample_metric{job=\"node\",instance=\"host-").append(seq).append("\"} ");
    }
    return sb.substring(0, size).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  static List<byte[]> readAll(Path dir) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        out.add(r.recordCopy());
      }
    }
    return out;
  }
}
