package dev.tsdb.api.remote;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding of protobuf string fields, with an ASCII fast path. */
final class Utf8 {
  private static final ThreadLocal<CharsetDecoder> STRICT = ThreadLocal.withInitial(
      () -> StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT));

  private Utf8() {}

  /** The decoded string, or null when the bytes are not valid UTF-8. */
  static String decode(byte[] buf, int off, int len) {
    boolean ascii = true;
    for (int i = off, end = off + len; i < end; i++) {
      if (buf[i] < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // Latin-1 decoding of ASCII bytes is a straight copy into a compact string.
      return new String(buf, off, len, StandardCharsets.ISO_8859_1);
    }
    try {
      CharBuffer cb = STRICT.get().reset().decode(ByteBuffer.wrap(buf, off, len));
      return cb.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Decodes with U+FFFD for invalid sequences (for error messages only). */
  static String decodeLenient(byte[] buf, int off, int len) {
    return new String(buf, off, len, StandardCharsets.UTF_8);
  }
}
