package dev.tsdb.api;

import dev.tsdb.promql.ast.Expr;

/**
 * Parses a full PromQL expression (for /api/v1/query_exemplars, format_query, parse_query).
 * Throws {@link dev.tsdb.promql.PromQLException} (BAD_DATA) with the parser's message.
 */
public interface QueryParser {
  Expr parse(String query);

  /** Prometheus's expr.Pretty(0), for /api/v1/format_query. */
  String pretty(Expr expr);

  /** The AST as plain maps/lists (Prometheus's translateAST), for /api/v1/parse_query. */
  Object toJson(Expr expr);
}
