package dev.tsdb.index.format;

/**
 * The bytes of an index (or another block file read through {@link MappedBytes}) do not follow
 * the format: bad magic, checksum mismatch, offsets out of range, truncation. Unchecked because
 * it can surface from lazy iterators; block opening turns it into a checked exception.
 */
public class CorruptIndexException extends RuntimeException {
  public CorruptIndexException(String message) {
    super(message);
  }

  public CorruptIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
