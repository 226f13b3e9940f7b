package dev.tsdb.promql.parser;

import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AggregateOp;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.BinaryOp;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.ExprType;
import dev.tsdb.promql.ast.Function;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.ast.StepInvariantExpr;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorMatching.Cardinality;
import dev.tsdb.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus's checkAST: operand and argument types, modifier placement, selector sanity. Run
 * only when the query parsed without errors; every error is collected in upstream's order.
 */
final class TypeChecker {
  private final String input;
  private final Map<BinaryExpr, BinModifiers> modifiers;
  private final Set<VectorSelector> bypassEmptyMatcherCheck =
      Collections.newSetFromMap(new IdentityHashMap<>());
  final List<ParseError> errors = new ArrayList<>();

  private final Map<Expr, ExprType> types;

  TypeChecker(String input, Map<BinaryExpr, BinModifiers> modifiers, Map<Expr, ExprType> types) {
    this.input = input;
    this.modifiers = modifiers;
    this.types = types;
  }

  /** Expr.type() without its recursion (memoized by the builder for composite nodes). */
  private ExprType typeOf(Expr e) {
    ExprType t = types.get(e);
    return t != null ? t : e.type();
  }

  private void error(PosRange pos, String message) {
    errors.add(new ParseError(pos, message));
  }

  private void expectType(Expr e, ExprType want, String context) {
    ExprType t = check(e);
    if (t != want) {
      error(e.pos(), "expected type " + want.documentedName() + " in " + context + ", got "
          + t.documentedName());
    }
  }

  ExprType check(Expr node) {
    if (node instanceof AggregateExpr a) {
      expectType(a.expr(), ExprType.VECTOR, "aggregation expression");
      AggregateOp op = a.op();
      if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK || op == AggregateOp.QUANTILE
          || op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO) {
        expectType(a.param(), ExprType.SCALAR, "aggregation parameter");
      }
      if (op == AggregateOp.COUNT_VALUES) {
        expectType(a.param(), ExprType.STRING, "aggregation parameter");
      }
    } else if (node instanceof BinaryExpr b) {
      checkBinary(b);
    } else if (node instanceof Call c) {
      checkCall(c);
    } else if (node instanceof ParenExpr p) {
      check(p.expr());
    } else if (node instanceof UnaryExpr u) {
      ExprType t = check(u.expr());
      if (t != ExprType.SCALAR && t != ExprType.VECTOR) {
        error(u.pos(), "unary expression only allowed on expressions of type scalar or instant "
            + "vector, got " + GoStrings.quote(t.documentedName()));
      }
    } else if (node instanceof SubqueryExpr s) {
      ExprType t = check(s.expr());
      if (t != ExprType.VECTOR) {
        error(s.pos(), "subquery is only allowed on instant vector, got " + t + " instead");
      }
    } else if (node instanceof MatrixSelector m) {
      check(m.selector());
    } else if (node instanceof VectorSelector vs) {
      checkSelector(vs);
    } else if (node instanceof StepInvariantExpr s) {
      check(s.expr());
    }
    return typeOf(node);
  }

  private void checkBinary(BinaryExpr n) {
    ExprType lt = check(n.lhs());
    ExprType rt = check(n.rhs());
    BinaryOp op = n.op();
    BinModifiers mods = modifiers.getOrDefault(n, BinModifiers.NONE);
    if (mods.returnBool() && !op.isComparison()) {
      error(opRange(n), "bool modifier can only be used on comparison operators");
    }
    if (op.isComparison() && !mods.returnBool() && typeOf(n.rhs()) == ExprType.SCALAR
        && typeOf(n.lhs()) == ExprType.SCALAR) {
      error(opRange(n), "comparisons between scalars must use BOOL modifier");
    }
    Cardinality card = mods.card();
    if (op.isSetOperator() && card == Cardinality.ONE_TO_ONE) {
      card = Cardinality.MANY_TO_MANY;
    }
    if (mods.on()) {
      for (String l1 : mods.matchingLabels()) {
        for (String l2 : mods.include()) {
          if (l1.equals(l2)) {
            error(opRange(n), "label " + GoStrings.quote(l1)
                + " must not occur in ON and GROUP clause at once");
          }
        }
      }
    }
    if (lt != ExprType.SCALAR && lt != ExprType.VECTOR) {
      error(n.lhs().pos(), "binary expression must contain only scalar and instant vector types");
    }
    if (rt != ExprType.SCALAR && rt != ExprType.VECTOR) {
      error(n.rhs().pos(), "binary expression must contain only scalar and instant vector types");
    }
    boolean fill = mods.fillLeft() != null || mods.fillRight() != null;
    if (lt != ExprType.VECTOR || rt != ExprType.VECTOR) {
      if (!mods.matchingLabels().isEmpty()) {
        error(n.pos(), "vector matching only allowed between instant vectors");
      }
      if (fill) {
        error(n.pos(), "filling in missing series only allowed between instant vectors");
      }
    } else if (op.isSetOperator()) {
      if (card == Cardinality.ONE_TO_MANY || card == Cardinality.MANY_TO_ONE) {
        error(n.pos(), "no grouping allowed for " + GoStrings.quote(op.symbol()) + " operation");
      }
      if (card != Cardinality.MANY_TO_MANY) {
        error(n.pos(), "set operations must always be many-to-many");
      }
      if (fill) {
        error(n.pos(), "filling in missing series not allowed for set operators");
      }
    }
    if ((lt == ExprType.SCALAR || rt == ExprType.SCALAR) && op.isSetOperator()) {
      error(n.pos(), "set operator " + GoStrings.quote(op.symbol())
          + " not allowed in binary scalar expression");
    }
  }

  /** The operator and its modifiers: between the operands, without surrounding whitespace. */
  private PosRange opRange(BinaryExpr n) {
    int start = n.lhs().pos().end();
    while (start < input.length() && PromQLLexer.isSpace(input.charAt(start))) {
      start++;
    }
    int end = n.rhs().pos().start() - 1;
    while (end > start && PromQLLexer.isSpace(input.charAt(end))) {
      end--;
    }
    return new PosRange(start, end);
  }

  private void checkCall(Call n) {
    Function f = n.func();
    List<ExprType> argTypes = f.argTypes();
    int nargs = argTypes.size();
    String quotedName = GoStrings.quote(f.name());
    if (f.variadic() == 0) {
      if (nargs != n.args().size()) {
        error(n.pos(), "expected " + nargs + " argument(s) in call to " + quotedName + ", got "
            + n.args().size());
      }
    } else {
      int na = nargs - 1;
      if (na > n.args().size()) {
        error(n.pos(), "expected at least " + na + " argument(s) in call to " + quotedName
            + ", got " + n.args().size());
      } else if (f.variadic() > 0 && na + f.variadic() < n.args().size()) {
        error(n.pos(), "expected at most " + (na + f.variadic()) + " argument(s) in call to "
            + quotedName + ", got " + n.args().size());
      }
    }
    if (f.name().equals("info") && n.args().size() > 1) {
      Expr second = n.args().get(1);
      if (typeOf(second) != ExprType.VECTOR) {
        error(n.pos(), "expected type " + ExprType.VECTOR.documentedName() + " in call to function "
            + quotedName + ", got " + typeOf(second).documentedName());
      }
      if (second instanceof VectorSelector vs && vs.name() != null) {
        error(second.pos(), "expected label selectors only, got vector selector instead");
      } else if (second instanceof VectorSelector vs) {
        bypassEmptyMatcherCheck.add(vs);
      } else {
        error(second.pos(), "expected label selectors only");
      }
    }
    for (int i = 0; i < n.args().size(); i++) {
      int typeIndex = i;
      if (i >= nargs) {
        if (f.variadic() == 0) {
          break;
        }
        typeIndex = nargs - 1;
      }
      Expr arg = n.args().get(i);
      ExprType t = check(arg);
      if (typeIndex < 0) {
        continue;
      }
      if (t != argTypes.get(typeIndex)) {
        error(arg.pos(), "expected type " + argTypes.get(typeIndex).documentedName()
            + " in call to function " + quotedName + ", got " + t.documentedName());
      }
    }
  }

  private void checkSelector(VectorSelector n) {
    if (n.name() != null) {
      List<Matcher> ms = n.matchers();
      for (int i = 0; i < ms.size() - 1; i++) {
        Matcher m = ms.get(i);
        if (m.name().equals(Labels.METRIC_NAME)) {
          error(n.pos(), "metric name must not be set twice: " + GoStrings.quote(n.name()) + " or "
              + GoStrings.quote(m.value()));
        }
      }
      return;
    }
    if (bypassEmptyMatcherCheck.contains(n)) {
      return;
    }
    for (Matcher m : n.matchers()) {
      if (!m.matchesEmpty()) {
        return;
      }
    }
    error(n.pos(), "vector selector must contain at least one non-empty matcher");
  }
}
