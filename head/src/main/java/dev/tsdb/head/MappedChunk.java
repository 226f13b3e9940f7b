package dev.tsdb.head;

import dev.tsdb.head.mmap.HeadChunkFiles;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Finds the data of a {@link SealedChunk} stub in the head chunk files' mappings. */
final class MappedChunk {
  private MappedChunk() {}

  /** The mapping holding the stub's data, to be read at {@link #dataOffset}. */
  static ByteBuffer buffer(HeadChunkFiles files, byte[] stub) throws IOException {
    long ref = SealedChunk.chunkRef(stub);
    ByteBuffer b = files == null ? null : files.buffer(ref);
    if (b == null) {
      throw new IOException("head chunk segment " + (ref >>> 32) + " is gone (chunk ref " + ref
          + ")");
    }
    return b;
  }

  static int dataOffset(byte[] stub) {
    return HeadChunkFiles.dataOffset(SealedChunk.chunkRef(stub), SealedChunk.mappedLength(stub));
  }

  /** The stub's data as a buffer of its own (positions 0..length). */
  static ByteBuffer slice(HeadChunkFiles files, byte[] stub) throws IOException {
    return buffer(files, stub).slice(dataOffset(stub), SealedChunk.mappedLength(stub));
  }

  /** A heap copy of the stub's data. */
  static byte[] copy(HeadChunkFiles files, byte[] stub) throws IOException {
    byte[] out = new byte[SealedChunk.mappedLength(stub)];
    buffer(files, stub).get(dataOffset(stub), out);
    return out;
  }
}
