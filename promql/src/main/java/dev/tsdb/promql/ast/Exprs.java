package dev.tsdb.promql.ast;

import java.util.ArrayList;
import java.util.List;

/** Walking the AST: the one definition of which nodes are an expression's children. */
final class Exprs {
  private Exprs() {}

  static List<Expr> children(Expr e) {
    List<Expr> out = new ArrayList<>(2);
    if (e instanceof AggregateExpr a) {
      if (a.param() != null) {
        out.add(a.param());
      }
      out.add(a.expr());
    } else if (e instanceof BinaryExpr b) {
      out.add(b.lhs());
      out.add(b.rhs());
    } else if (e instanceof Call c) {
      out.addAll(c.args());
    } else if (e instanceof MatrixSelector m) {
      out.add(m.selector());
    } else if (e instanceof ParenExpr p) {
      out.add(p.expr());
    } else if (e instanceof UnaryExpr u) {
      out.add(u.expr());
    } else if (e instanceof SubqueryExpr s) {
      out.add(s.expr());
    } else if (e instanceof StepInvariantExpr si) {
      out.add(si.expr());
    }
    return out;
  }
}
