package dev.tsdb.head.mmap;

/** A chunk record that is intact but does not fit the chunks before it (e.g. out of time order). */
public final class CorruptChunkException extends Exception {
  public CorruptChunkException(String message) {
    super(message);
  }
}
