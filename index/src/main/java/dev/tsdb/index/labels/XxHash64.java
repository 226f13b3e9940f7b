package dev.tsdb.index.labels;

import java.nio.charset.StandardCharsets;

/**
 * XXH64 (seed 0, as cespare/xxhash), used to reproduce Prometheus 3's labels.Hash(), on which
 * values Prometheus derives from hashes depend: limit_ratio's sampling decision and a rule
 * group's evaluation offset within its interval.
 *
 * <p>Prometheus 3's default label representation ("stringlabels", the default build since 3.x;
 * the old slice representation needs the {@code slicelabels} build tag) hashes its flat encoding:
 * for each name and then value in label order, the UTF-8 length as one byte when below 255, else
 * the byte 255 followed by the length as 3 bytes little-endian, then the bytes. Prometheus 2.x
 * hashed {@code name 0xff value 0xff ...} instead, so offsets and limit_ratio choices differ
 * between the two major versions.
 */
public final class XxHash64 {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private XxHash64() {}

  /** Prometheus's labels.Hash() of a label set. */
  public static long labelsHash(Labels ls) {
    return labelsHash(ls.toArray());
  }

  /** Prometheus's labels.Hash() of name/value strings given in label order. */
  public static long labelsHash(String... nameValues) {
    int len = 0;
    byte[][] parts = new byte[nameValues.length][];
    for (int i = 0; i < nameValues.length; i++) {
      parts[i] = nameValues[i].getBytes(StandardCharsets.UTF_8);
      len += sizePrefixLength(parts[i].length) + parts[i].length;
    }
    byte[] b = new byte[len];
    int p = 0;
    for (byte[] part : parts) {
      int n = part.length;
      if (n < 255) {
        b[p++] = (byte) n;
      } else {
        b[p++] = (byte) 255;
        b[p++] = (byte) n;
        b[p++] = (byte) (n >>> 8);
        b[p++] = (byte) (n >>> 16);
      }
      System.arraycopy(part, 0, b, p, n);
      p += n;
    }
    return hash(b, 0, b.length);
  }

  private static int sizePrefixLength(int n) {
    return n < 255 ? 1 : 4;
  }

  private static long getLong(byte[] b, int i) {
    return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24 | (b[i + 4] & 0xFFL) << 32 | (b[i + 5] & 0xFFL) << 40
        | (b[i + 6] & 0xFFL) << 48 | (b[i + 7] & 0xFFL) << 56;
  }

  private static long getInt(byte[] b, int i) {
    return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24;
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long mergeRound(long acc, long val) {
    val = round(0, val);
    acc ^= val;
    return acc * P1 + P4;
  }

  public static long hash(byte[] b) {
    return hash(b, 0, b.length);
  }

  public static long hash(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    long h;
    if (len >= 32) {
      long v1 = P1 + P2;
      long v2 = P2;
      long v3 = 0;
      long v4 = -P1;
      while (i <= end - 32) {
        v1 = round(v1, getLong(b, i));
        v2 = round(v2, getLong(b, i + 8));
        v3 = round(v3, getLong(b, i + 16));
        v4 = round(v4, getLong(b, i + 24));
        i += 32;
      }
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12)
          + Long.rotateLeft(v4, 18);
      h = mergeRound(h, v1);
      h = mergeRound(h, v2);
      h = mergeRound(h, v3);
      h = mergeRound(h, v4);
    } else {
      h = P5;
    }
    h += len;
    while (i + 8 <= end) {
      long k1 = round(0, getLong(b, i));
      h ^= k1;
      h = Long.rotateLeft(h, 27) * P1 + P4;
      i += 8;
    }
    if (i + 4 <= end) {
      h ^= getInt(b, i) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      i += 4;
    }
    while (i < end) {
      h ^= (b[i] & 0xFFL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      i++;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }
}
