package dev.tsdb.head.mmap;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Reads the chunk records of one segment's bytes in order, checking each one's bounds and CRC.
 * Stops at the end of the content: the buffer's end, or a zero series ref, mint and maxt (the
 * zeroed tail of a segment that was still being written, or preallocated by Prometheus).
 */
final class HeadChunkScanner {
  /** Where a scan ended: {@code end} is past the last valid record; {@code error} null if clean. */
  record Result(int end, long maxT, String error) {}

  private HeadChunkScanner() {}

  static Result scan(int seq, ByteBuffer b, int size, HeadChunkFiles.Visitor v) {
    if (size < HeadChunkFormat.HEADER_SIZE) {
      return new Result(0, Long.MIN_VALUE, "shorter than the segment header: " + size + " bytes");
    }
    if (b.getInt(0) != HeadChunkFormat.MAGIC) {
      return new Result(0, Long.MIN_VALUE, String.format("bad magic %08x", b.getInt(0)));
    }
    if (b.get(4) != HeadChunkFormat.VERSION) {
      return new Result(0, Long.MIN_VALUE, "unknown version " + b.get(4));
    }
    CRC32C crc = new CRC32C();
    long segMaxT = Long.MIN_VALUE;
    int p = HeadChunkFormat.HEADER_SIZE;
    while (p < size) {
      if (size - p < HeadChunkFormat.FIXED_META_SIZE) {
        return zerosFrom(b, p, size) ? new Result(p, segMaxT, null)
            : new Result(p, segMaxT, "record header cut short at offset " + p);
      }
      long seriesRef = b.getLong(p);
      long mint = b.getLong(p + 8);
      long maxt = b.getLong(p + 16);
      if (seriesRef == 0 && mint == 0 && maxt == 0) {
        // Series refs start at 1: the end of what was written, as Prometheus reads it (the rest
        // of the tail is not read, which would fault in a sparse 128 MiB file).
        return new Result(p, segMaxT, null);
      }
      byte encoding = b.get(p + 24);
      int q = p + HeadChunkFormat.FIXED_META_SIZE;
      long len = 0;
      int shift = 0;
      while (true) {
        if (q >= size || shift > 28) {
          return new Result(p, segMaxT, "bad data length at offset " + p);
        }
        int x = b.get(q++) & 0xff;
        len |= (long) (x & 0x7f) << shift;
        shift += 7;
        if (x < 0x80) {
          break;
        }
      }
      if (len < 2 || q + len + HeadChunkFormat.CRC_SIZE > size) {
        return new Result(p, segMaxT, "record at offset " + p + " runs past the end ("
            + len + " data bytes)");
      }
      int dataEnd = q + (int) len;
      crc.reset();
      crc.update(b.slice(p, dataEnd - p));
      if ((int) crc.getValue() != b.getInt(dataEnd)) {
        return new Result(p, segMaxT, "CRC mismatch in the record at offset " + p);
      }
      int numSamples = ((b.get(q) & 0xff) << 8) | (b.get(q + 1) & 0xff);
      try {
        v.chunk(seriesRef, HeadChunkFormat.ref(seq, p), mint, maxt, encoding, numSamples,
            (int) len);
      } catch (CorruptChunkException e) {
        return new Result(p, segMaxT, e.getMessage() + " (record at offset " + p + ")");
      }
      segMaxT = Math.max(segMaxT, maxt);
      p = dataEnd + HeadChunkFormat.CRC_SIZE;
    }
    return new Result(p, segMaxT, null);
  }

  private static boolean zerosFrom(ByteBuffer b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b.get(i) != 0) {
        return false;
      }
    }
    return true;
  }
}
