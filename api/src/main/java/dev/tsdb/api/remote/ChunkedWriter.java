package dev.tsdb.api.remote;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * Frames of a streamed remote-read response, as Prometheus's storage/remote/chunked.go writes
 * them: for each message, its length as an unsigned varint, then the CRC-32 (Castagnoli) of the
 * message as a big-endian uint32, then the message bytes.
 */
final class ChunkedWriter {
  private final OutputStream out;
  private final CRC32C crc = new CRC32C();
  private final byte[] header = new byte[10 + 4];

  ChunkedWriter(OutputStream out) {
    this.out = out;
  }

  /** Writes one frame; empty messages are skipped, as upstream does. */
  void write(byte[] msg, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    int n = 0;
    long v = len;
    while (v >= 0x80) {
      header[n++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    header[n++] = (byte) v;
    crc.reset();
    crc.update(msg, off, len);
    int c = (int) crc.getValue();
    header[n++] = (byte) (c >>> 24);
    header[n++] = (byte) (c >>> 16);
    header[n++] = (byte) (c >>> 8);
    header[n++] = (byte) c;
    out.write(header, 0, n);
    out.write(msg, off, len);
  }
}
