package dev.tsdb.blocks.chunks;

import dev.tsdb.index.storage.CorruptionException;

/**
 * A chunk segment file does not follow the format: bad header, checksum mismatch, a reference
 * pointing outside the files. It can surface while iterating samples.
 */
public class CorruptChunkException extends CorruptionException {
  public CorruptChunkException(String message) {
    super(message);
  }
}
