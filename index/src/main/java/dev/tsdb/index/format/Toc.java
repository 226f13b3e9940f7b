package dev.tsdb.index.format;

/**
 * The index's table of contents, the last 52 bytes of the file: six big-endian 8-byte section
 * offsets followed by the CRC32C of those 48 bytes. A zero offset means the section is absent.
 */
public record Toc(long symbols, long series, long labelIndices, long labelIndicesTable,
    long postings, long postingsTable) {
  public static final int LENGTH = 6 * 8 + 4;

  static Toc read(MappedBytes b) {
    if (b.size() < IndexFormat.HEADER_LENGTH + LENGTH) {
      throw new CorruptIndexException(b.name() + ": index too short (" + b.size() + " bytes)");
    }
    long at = b.size() - LENGTH;
    if (b.crc32c(at, 48) != b.getInt(at + 48)) {
      throw new CorruptIndexException(b.name() + ": TOC checksum mismatch (truncated file?)");
    }
    Toc t = new Toc(b.getLong(at), b.getLong(at + 8), b.getLong(at + 16), b.getLong(at + 24),
        b.getLong(at + 32), b.getLong(at + 40));
    for (long off : new long[] {t.symbols, t.series, t.labelIndices, t.labelIndicesTable,
        t.postings, t.postingsTable}) {
      if (off < 0 || off > at) {
        throw new CorruptIndexException(b.name() + ": TOC offset " + off + " out of range");
      }
    }
    return t;
  }

  void write(EncodeBuffer e) {
    int from = e.length();
    e.putBE64(symbols).putBE64(series).putBE64(labelIndices).putBE64(labelIndicesTable)
        .putBE64(postings).putBE64(postingsTable);
    e.putBE32(e.crc32c(from));
  }
}
