package dev.tsdb.api.remote;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * A rewindable, allocation-free cursor over protobuf wire format in a byte array, for the
 * remote-write hot path. CodedInputStream cannot rewind (a series' labels may follow its samples)
 * and costs an object per nested message; this reads the same encoding with plain ints.
 * Malformed input raises InvalidProtocolBufferException like protobuf-java.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LEN = 2;
  static final int FIXED32 = 5;

  byte[] buf;
  int pos;
  int limit;

  ProtoReader reset(byte[] buf, int off, int end) {
    this.buf = buf;
    this.pos = off;
    this.limit = end;
    return this;
  }

  boolean hasMore() {
    return pos < limit;
  }

  /** The next tag, or 0 at the end of the current range. */
  int readTag() throws InvalidProtocolBufferException {
    if (pos >= limit) {
      return 0;
    }
    int tag = readVarint32();
    if ((tag >>> 3) == 0) {
      throw new InvalidProtocolBufferException("Protocol message contained an invalid tag (zero).");
    }
    return tag;
  }

  int readVarint32() throws InvalidProtocolBufferException {
    return (int) readVarint64();
  }

  long readVarint64() throws InvalidProtocolBufferException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw truncated();
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw new InvalidProtocolBufferException("CodedInputStream encountered a malformed varint.");
  }

  long readFixed64() throws InvalidProtocolBufferException {
    if (limit - pos < 8) {
      throw truncated();
    }
    long v = (buf[pos] & 0xffL) | (buf[pos + 1] & 0xffL) << 8 | (buf[pos + 2] & 0xffL) << 16
        | (buf[pos + 3] & 0xffL) << 24 | (buf[pos + 4] & 0xffL) << 32
        | (buf[pos + 5] & 0xffL) << 40 | (buf[pos + 6] & 0xffL) << 48
        | (buf[pos + 7] & 0xffL) << 56;
    pos += 8;
    return v;
  }

  double readDouble() throws InvalidProtocolBufferException {
    return Double.longBitsToDouble(readFixed64());
  }

  /** Reads a length prefix; the payload is [pos, pos + length), which the caller consumes. */
  int readLength() throws InvalidProtocolBufferException {
    int n = readVarint32();
    if (n < 0 || n > limit - pos) {
      throw truncated();
    }
    return n;
  }

  /** Skips the value of a field with the given tag. */
  void skipField(int tag) throws InvalidProtocolBufferException {
    switch (tag & 7) {
      case VARINT -> readVarint64();
      case FIXED64 -> skip(8);
      case LEN -> skip(readLength());
      case FIXED32 -> skip(4);
      default -> throw new InvalidProtocolBufferException(
          "Protocol message tag had invalid wire type.");
    }
  }

  private void skip(int n) throws InvalidProtocolBufferException {
    if (n > limit - pos) {
      throw truncated();
    }
    pos += n;
  }

  private static InvalidProtocolBufferException truncated() {
    return new InvalidProtocolBufferException("While parsing a protocol message, the input ended"
        + " unexpectedly in the middle of a field.  This could mean either that the input has"
        + " been truncated or that an embedded message misreported its own length.");
  }
}
