package dev.tsdb.wal.record;

import java.nio.charset.StandardCharsets;

/**
 * Turns UTF-8 bytes from a record into a String. The head can plug in a symbol table that
 * returns an existing instance for bytes it has seen, so replaying millions of series records
 * does not create millions of duplicate label strings.
 */
@FunctionalInterface
public interface StringInterner {
  /** Decodes without interning. */
  StringInterner NONE = (utf8, off, len) -> new String(utf8, off, len, StandardCharsets.UTF_8);

  /** Returns the string for {@code utf8[off, off+len)}; must not keep a reference to the array. */
  String intern(byte[] utf8, int off, int len);
}
