/**
 * PromQL parsing with Prometheus 3.x syntax, semantics and error messages.
 *
 * <p>Entry points: {@link dev.tsdb.promql.parser.Parser#parseExpr} (expressions, type-checked),
 * {@link dev.tsdb.promql.parser.Parser#parseMetricSelector} (the API's {@code match[]}),
 * {@link dev.tsdb.promql.parser.Parser#parseSeriesDesc} (test-script {@code load} lines),
 * {@link dev.tsdb.promql.parser.Functions} (the function table) and {@link
 * dev.tsdb.promql.parser.AstJson} (/api/v1/parse_query). Formatting lives with the AST:
 * {@code Expr.toString()} ({@link dev.tsdb.promql.ast.Printer}) and {@link
 * dev.tsdb.promql.ast.Prettier} (/api/v1/format_query).
 *
 * <p>Pipeline: {@link dev.tsdb.promql.parser.PromQLLexer} reproduces upstream's modal lexer and
 * its errors; the ANTLR grammar ({@code grammar/PromQLParser.g4}) recognizes the syntax; {@link
 * dev.tsdb.promql.parser.AstBuilder} builds records while ANTLR parses so that semantic errors
 * come in upstream's order; {@link dev.tsdb.promql.parser.SyntaxErrors} words syntax errors like
 * upstream's yacc error productions; {@link dev.tsdb.promql.parser.TypeChecker} is upstream's
 * checkAST. Every failure is a {@link dev.tsdb.promql.parser.ParseException} (BAD_DATA) whose
 * message is upstream's {@code line:col: parse error: ...} for the first error. Go's string,
 * number-printing and duration conventions come from {@code dev.tsdb.gocompat}.
 */
package dev.tsdb.promql.parser;
