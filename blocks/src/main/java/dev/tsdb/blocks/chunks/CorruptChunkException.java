package dev.tsdb.blocks.chunks;

/**
 * A chunk segment file does not follow the format: bad header, checksum mismatch, a reference
 * pointing outside the files. Unchecked because it can surface while iterating samples.
 */
public class CorruptChunkException extends RuntimeException {
  public CorruptChunkException(String message) {
    super(message);
  }
}
