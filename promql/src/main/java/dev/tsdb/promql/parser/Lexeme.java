package dev.tsdb.promql.parser;

import dev.tsdb.gocompat.GoStrings;

/** One token: its kind, its [start, end) char offsets in the query and its raw text. */
record Lexeme(TokenKind kind, int start, int end, String text) {

  /** How upstream's Item.desc() describes this token in "unexpected ..." messages. */
  String describe() {
    switch (kind.category) {
      case KEYWORD:
        return "<" + text + ">";
      case OPERATOR:
        return "<op:" + text + ">";
      case AGGREGATOR:
        return "<aggr:" + text + ">";
      case PUNCT:
        return quoteShort(text);
      default:
        if (kind == TokenKind.EOF) {
          return kind.description;
        }
        if (kind == TokenKind.IDENTIFIER || kind == TokenKind.METRIC_IDENTIFIER) {
          return kind.description + " " + GoStrings.quote(text);
        }
        return kind.description + " " + quoteShort(text);
    }
  }

  /** Go's {@code %q}, or {@code %.10q...} when the text is longer than 10 bytes. */
  private static String quoteShort(String s) {
    if (GoStrings.utf8Length(s) > 10) {
      int end = s.offsetByCodePoints(0, Math.min(10, s.codePointCount(0, s.length())));
      return GoStrings.quote(s.substring(0, end)) + "...";
    }
    return GoStrings.quote(s);
  }
}
