package dev.tsdb.index.storage;

import java.nio.ByteBuffer;

/**
 * One encoded chunk of a series, as stored in blocks and streamed by remote read: the time of its
 * first and last sample (inclusive), its encoding (Prometheus's chunkenc ids: 1 = XOR, 2 =
 * histogram, 3 = float histogram) and its bytes (without the encoding byte). {@code data} may be
 * a read-only view into a mapped file, valid only while the querier that returned it is open.
 */
public record ChunkMeta(long minTime, long maxTime, byte encoding, ByteBuffer data) {
  /** Number of samples, from the big-endian uint16 every chunk encoding starts with. */
  public int numSamples() {
    int p = data.position();
    return data.remaining() < 2 ? 0 : ((data.get(p) & 0xff) << 8) | (data.get(p + 1) & 0xff);
  }
}
