package dev.tsdb.wal.record;

import dev.tsdb.index.format.Varint;

/** A read cursor over one record's bytes with Go-compatible integer decoding. */
final class Decbuf {
  byte[] b;
  int pos;
  int end;

  void reset(byte[] b, int off, int len) {
    if (off < 0 || len < 0 || off + len > b.length) {
      throw new IllegalArgumentException("record bounds outside the array");
    }
    this.b = b;
    this.pos = off;
    this.end = off + len;
  }

  int remaining() {
    return end - pos;
  }

  boolean hasRemaining() {
    return pos < end;
  }

  int readByte() {
    if (pos >= end) {
      throw new RecordFormatException("unexpected end of record reading a byte");
    }
    return b[pos++] & 0xFF;
  }

  long be64() {
    if (end - pos < 8) {
      throw new RecordFormatException("unexpected end of record reading 8 bytes");
    }
    byte[] a = b;
    int p = pos;
    long v = ((long) (a[p] & 0xFF) << 56)
        | ((long) (a[p + 1] & 0xFF) << 48)
        | ((long) (a[p + 2] & 0xFF) << 40)
        | ((long) (a[p + 3] & 0xFF) << 32)
        | ((long) (a[p + 4] & 0xFF) << 24)
        | ((long) (a[p + 5] & 0xFF) << 16)
        | ((long) (a[p + 6] & 0xFF) << 8)
        | (long) (a[p + 7] & 0xFF);
    pos = p + 8;
    return v;
  }

  long uvarint() {
    long v = 0;
    int shift = 0;
    byte[] a = b;
    int p = pos;
    while (true) {
      if (p >= end) {
        throw new RecordFormatException("unexpected end of record reading a varint");
      }
      int c = a[p++];
      if (shift == 63 && (c & 0xFF) > 1) {
        throw new RecordFormatException("varint overflows 64 bits");
      }
      v |= (long) (c & 0x7F) << shift;
      if (c >= 0) { // high bit clear: last byte
        pos = p;
        return v;
      }
      shift += 7;
      if (shift > 63) {
        throw new RecordFormatException("varint overflows 64 bits");
      }
    }
  }

  long varint() {
    return Varint.unzigzag(uvarint());
  }

  /** A uvarint that must fit a non-negative int no larger than what is left (a length/count). */
  int uvarintLen() {
    long n = uvarint();
    if (n < 0 || n > Integer.MAX_VALUE) {
      throw new RecordFormatException("length " + Long.toUnsignedString(n) + " out of range");
    }
    return (int) n;
  }

  void skip(int n) {
    if (n < 0 || end - pos < n) {
      throw new RecordFormatException("unexpected end of record skipping " + n + " bytes");
    }
    pos += n;
  }

  /** Reads a uvarint-length-prefixed string through the interner. */
  String uvarintString(StringInterner interner) {
    int n = uvarintLen();
    if (end - pos < n) {
      throw new RecordFormatException("string of " + n + " bytes exceeds the record");
    }
    String s = n == 0 ? "" : interner.intern(b, pos, n);
    pos += n;
    return s;
  }

  /** Skips a uvarint-length-prefixed string. */
  void skipUvarintString() {
    skip(uvarintLen());
  }

  /**
   * Consumes a uvarint-length-prefixed string and tells which ASCII literal it equals: 1 for
   * {@code a}, 2 for {@code b}, 0 for neither. Avoids allocating field names.
   */
  int uvarintStringMatch(String a, String b) {
    int n = uvarintLen();
    if (end - pos < n) {
      throw new RecordFormatException("string of " + n + " bytes exceeds the record");
    }
    int match = equalsAscii(pos, n, a) ? 1 : equalsAscii(pos, n, b) ? 2 : 0;
    pos += n;
    return match;
  }

  private boolean equalsAscii(int p, int n, String ascii) {
    if (n != ascii.length()) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (this.b[p + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
