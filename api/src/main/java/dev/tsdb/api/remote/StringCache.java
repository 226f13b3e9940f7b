package dev.tsdb.api.remote;

import java.util.Arrays;

/**
 * Decodes label strings through a small cache keyed by their UTF-8 bytes, so the names and
 * values that every remote-write request repeats are not allocated again. Direct-mapped with a
 * short probe; a miss overwrites. Not thread-safe: one per decoder (a decoder serves one request at a time).
 */
final class StringCache {
  private static final int PROBE = 4;
  /** Longer strings are rare to repeat and costly to hold; they bypass the cache. */
  private static final int MAX_LEN = 128;

  private final byte[][] keys;
  private final String[] values;
  private final int mask;
  private int victim;

  StringCache(int capacityPow2) {
    keys = new byte[capacityPow2][];
    values = new String[capacityPow2];
    mask = capacityPow2 - 1;
  }

  /** The string for buf[off, off+len), or null when the bytes are not valid UTF-8. */
  String get(byte[] buf, int off, int len) {
    if (len == 0) {
      return "";
    }
    if (len > MAX_LEN) {
      return Utf8.decode(buf, off, len);
    }
    int h = hash(buf, off, len);
    for (int i = 0; i < PROBE; i++) {
      int slot = (h + i) & mask;
      byte[] k = keys[slot];
      if (k == null) {
        return insert(slot, buf, off, len);
      }
      if (k.length == len && Arrays.equals(k, 0, len, buf, off, off + len)) {
        return values[slot];
      }
    }
    victim = (victim + 1) % PROBE;
    return insert((h + victim) & mask, buf, off, len);
  }

  private String insert(int slot, byte[] buf, int off, int len) {
    String s = Utf8.decode(buf, off, len);
    if (s == null) {
      return null;
    }
    keys[slot] = Arrays.copyOfRange(buf, off, off + len);
    values[slot] = s;
    return s;
  }

  private static int hash(byte[] b, int off, int len) {
    int h = 0x811c9dc5;
    for (int i = off, end = off + len; i < end; i++) {
      h = (h ^ b[i]) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }
}
