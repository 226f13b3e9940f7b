package dev.tsdb.head.mmap;

/**
 * Prometheus's head chunk file format ({@code tsdb/docs/format/head_chunks.md}): a segment file
 * in {@code chunks_head/} named by its sequence number (six digits, from 1) starts with
 * {@code magic 0x0130BC91 uint32 BE | version 1 | 3 zero bytes}, then holds chunk records
 * {@code series ref uint64 BE | mint int64 BE | maxt int64 BE | encoding byte | data length
 * uvarint | data | CRC32C (Castagnoli) BE over everything from the series ref to the data's end}.
 * A chunk is referenced by {@code segment << 32 | offset of its record}. The top bit of the
 * encoding marks an out-of-order chunk.
 */
public final class HeadChunkFormat {
  public static final int MAGIC = 0x0130BC91;
  public static final byte VERSION = 1;
  public static final int HEADER_SIZE = 8;
  /** Prometheus starts a new segment rather than let one grow past this. */
  public static final int MAX_SEGMENT_SIZE = 128 * 1024 * 1024;
  public static final int SERIES_REF_SIZE = 8;
  public static final int CRC_SIZE = 4;
  /** Bytes of a record before its length field: series ref, mint, maxt, encoding. */
  public static final int FIXED_META_SIZE = SERIES_REF_SIZE + 8 + 8 + 1;
  /** A record's largest size apart from its data (the length takes up to 5 bytes for 32 bits). */
  public static final int MAX_META_SIZE = FIXED_META_SIZE + 5 + CRC_SIZE;
  public static final byte OUT_OF_ORDER_MASK = (byte) 0x80;

  private HeadChunkFormat() {}

  /** Bytes a record holding {@code dataLen} bytes of chunk data takes. */
  public static int recordSize(int dataLen) {
    return FIXED_META_SIZE + uvarintSize(dataLen) + dataLen + CRC_SIZE;
  }

  /** Offset of a record's data from the record's start. */
  public static int dataOffset(int dataLen) {
    return FIXED_META_SIZE + uvarintSize(dataLen);
  }

  public static int uvarintSize(long v) {
    int n = 1;
    while ((v & ~0x7fL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  public static long ref(int segment, int offset) {
    return ((long) segment << 32) | (offset & 0xffffffffL);
  }

  public static int segment(long ref) {
    return (int) (ref >>> 32);
  }

  public static int offset(long ref) {
    return (int) ref;
  }

  /** File name of segment {@code seq}: six digits, as Prometheus names them. */
  public static String fileName(int seq) {
    return String.format("%06d", seq);
  }
}
