package dev.tsdb.api.handlers;

import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.ExprVisitor;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.StepInvariantExpr;
import dev.tsdb.promql.ast.StringLiteral;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/** Collects the vector selectors of an expression (Prometheus's parser.ExtractSelectors). */
final class Selectors implements ExprVisitor<Void> {
  private final List<VectorSelector> found = new ArrayList<>();

  static List<VectorSelector> of(Expr e) {
    Selectors s = new Selectors();
    e.accept(s);
    return s.found;
  }

  private Void visit(Expr e) {
    if (e != null) {
      e.accept(this);
    }
    return null;
  }

  @Override
  public Void visitAggregate(AggregateExpr e) {
    visit(e.param());
    return visit(e.expr());
  }

  @Override
  public Void visitBinary(BinaryExpr e) {
    visit(e.lhs());
    return visit(e.rhs());
  }

  @Override
  public Void visitCall(Call e) {
    e.args().forEach(this::visit);
    return null;
  }

  @Override
  public Void visitMatrixSelector(MatrixSelector e) {
    return visit(e.selector());
  }

  @Override
  public Void visitNumber(NumberLiteral e) {
    return null;
  }

  @Override
  public Void visitParen(ParenExpr e) {
    return visit(e.expr());
  }

  @Override
  public Void visitStepInvariant(StepInvariantExpr e) {
    return visit(e.expr());
  }

  @Override
  public Void visitString(StringLiteral e) {
    return null;
  }

  @Override
  public Void visitSubquery(SubqueryExpr e) {
    return visit(e.expr());
  }

  @Override
  public Void visitUnary(UnaryExpr e) {
    return visit(e.expr());
  }

  @Override
  public Void visitVectorSelector(VectorSelector e) {
    found.add(e);
    return null;
  }
}
