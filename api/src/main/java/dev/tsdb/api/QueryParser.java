package dev.tsdb.api;

import dev.tsdb.promql.ast.Expr;

/**
 * Parses a full PromQL expression (for /api/v1/query_exemplars, format_query, parse_query).
 * Throws {@link dev.tsdb.promql.PromQLException} (BAD_DATA) with the parser's message.
 */
@FunctionalInterface
public interface QueryParser {
  Expr parse(String query);
}
