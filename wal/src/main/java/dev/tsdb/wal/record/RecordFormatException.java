package dev.tsdb.wal.record;

import dev.tsdb.index.storage.CorruptionException;

/**
 * A record passed its CRC but its payload does not decode (truncated varint, bytes left over,
 * wrong type byte). Replay treats this like corruption at the record's position.
 */
public final class RecordFormatException extends CorruptionException {
  public RecordFormatException(String message) {
    super(message);
  }
}
