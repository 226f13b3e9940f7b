package dev.tsdb.head.chunkenc;

/**
 * What appending a histogram to an open chunk did, and the appender that now holds it.
 *
 * @param appender the appender holding the new sample: the same one ({@link Kind#APPENDED}), a
 *     replacement for the current chunk ({@link Kind#RECODED}), or a new chunk ({@link Kind#NEW_CHUNK})
 */
public record AppendOutcome<A>(A appender, Kind kind) {
  public enum Kind {
    /** Appended to the same chunk. */
    APPENDED,
    /** The chunk was rewritten into a wider layout; the caller replaces it with this one. */
    RECODED,
    /** The histogram did not fit (counter reset, schema change, ...); a new chunk starts. */
    NEW_CHUNK
  }
}
