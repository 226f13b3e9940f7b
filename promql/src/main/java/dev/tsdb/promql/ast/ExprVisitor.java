package dev.tsdb.promql.ast;

/** Visitor over the AST (Java 17 has no pattern-matching switch on sealed types). */
public interface ExprVisitor<R> {
  R visitAggregate(AggregateExpr e);

  R visitBinary(BinaryExpr e);

  R visitCall(Call e);

  R visitMatrixSelector(MatrixSelector e);

  R visitNumber(NumberLiteral e);

  R visitParen(ParenExpr e);

  R visitStepInvariant(StepInvariantExpr e);

  R visitString(StringLiteral e);

  R visitSubquery(SubqueryExpr e);

  R visitUnary(UnaryExpr e);

  R visitVectorSelector(VectorSelector e);
}
