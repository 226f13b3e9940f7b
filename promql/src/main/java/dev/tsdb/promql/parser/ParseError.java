package dev.tsdb.promql.parser;

import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.promql.ast.PosRange;

/**
 * One parse or type-check error: where ({@code [start, end)} char offsets into the query) and
 * what, in Prometheus's words.
 */
public record ParseError(PosRange pos, String message) {

  /**
   * Prometheus's ParseErr.Error(): {@code line:col: parse error: message}, where line and column
   * are 1-based and the column counts UTF-8 bytes like upstream.
   */
  public String format(String query, int lineOffset) {
    return position(query, pos.start(), lineOffset) + ": parse error: " + message;
  }

  static String position(String query, int charPos, int lineOffset) {
    if (query.isEmpty()) {
      return "unknown position";
    }
    if (charPos < 0 || charPos > query.length()) {
      return "invalid position";
    }
    int line = lineOffset + 1;
    int lastBreak = -1;
    for (int i = 0; i < charPos; i++) {
      if (query.charAt(i) == '\n') {
        lastBreak = i;
        line++;
      }
    }
    int col = GoStrings.utf8Length(query, lastBreak + 1, charPos) + 1;
    return line + ":" + col;
  }
}
