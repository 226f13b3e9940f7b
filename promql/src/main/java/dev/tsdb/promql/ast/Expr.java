package dev.tsdb.promql.ast;

/**
 * A node of the PromQL abstract syntax tree. Nodes are immutable records; engine preprocessing
 * (e.g. resolving {@code @ start()}, wrapping step-invariant parts) builds new nodes.
 * {@link #toString()} is Prometheus's canonical formatting (what format_query returns).
 */
public sealed interface Expr permits AggregateExpr, BinaryExpr, Call, MatrixSelector,
    NumberLiteral, ParenExpr, StepInvariantExpr, StringLiteral, SubqueryExpr, UnaryExpr,
    VectorSelector {
  ExprType type();

  PosRange pos();

  <R> R accept(ExprVisitor<R> visitor);

  /** The direct sub-expressions in evaluation order (Prometheus's parser.Children). */
  default java.util.List<Expr> children() {
    return Exprs.children(this);
  }
}
