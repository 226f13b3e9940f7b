package dev.tsdb.promql.parser;

import dev.tsdb.promql.ast.PosRange;

/**
 * An error found while parsing, with the index of the lookahead token at the time. Upstream's
 * yacc parser reads one token ahead before it reduces a rule, so a lexical error in that token
 * is reported before errors found while reducing; the index lets us order them the same way.
 */
record PendingError(PosRange pos, String message, int tokenIndex) {
  ParseError toParseError() {
    return new ParseError(pos, message);
  }
}
