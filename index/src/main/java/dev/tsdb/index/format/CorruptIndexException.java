package dev.tsdb.index.format;

import dev.tsdb.index.storage.CorruptionException;

/**
 * The bytes of an index (or another block file read through {@link MappedBytes}) do not follow
 * the format: bad magic, checksum mismatch, offsets out of range, truncation. It can surface from
 * lazy iterators; block opening turns it into a {@code CorruptBlockException} naming the block.
 */
public class CorruptIndexException extends CorruptionException {
  public CorruptIndexException(String message) {
    super(message);
  }

  public CorruptIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
