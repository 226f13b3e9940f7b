package dev.tsdb.promql.parser;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.ExprType;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.StepInvariantExpr;
import dev.tsdb.promql.ast.StringLiteral;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorMatching;
import dev.tsdb.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The AST as /api/v1/parse_query returns it (upstream's web/api/v1 translateAST), built from
 * plain maps, lists, strings, numbers, booleans and nulls so any JSON writer can serialize it.
 * Maps are sorted by key, as Go's encoding/json writes map keys.
 */
public final class AstJson {
  private AstJson() {}

  public static Object translate(Expr e) {
    return DeepStack.call(() -> build(e));
  }

  private static Object build(Expr e) {
    if (e == null) {
      return null;
    }
    if (e instanceof AggregateExpr a) {
      Map<String, Object> m = node("aggregation");
      m.put("op", a.op().keyword());
      m.put("expr", build(a.expr()));
      m.put("param", build(a.param()));
      m.put("grouping", new ArrayList<>(a.grouping()));
      m.put("without", a.without());
      return m;
    }
    if (e instanceof BinaryExpr b) {
      Map<String, Object> m = node("binaryExpr");
      m.put("op", b.op().symbol());
      m.put("lhs", build(b.lhs()));
      m.put("rhs", build(b.rhs()));
      m.put("bool", b.returnBool());
      VectorMatching vm = b.matching();
      if (vm == null) {
        m.put("matching", null);
      } else {
        Map<String, Object> matching = new TreeMap<>();
        matching.put("card", cardinality(vm.card()));
        matching.put("labels", new ArrayList<>(vm.matchingLabels()));
        matching.put("on", vm.on());
        matching.put("include", new ArrayList<>(vm.include()));
        Map<String, Object> fill = new TreeMap<>();
        fill.put("lhs", vm.fillLeft());
        fill.put("rhs", vm.fillRight());
        matching.put("fillValues", fill);
        m.put("matching", matching);
      }
      return m;
    }
    if (e instanceof Call c) {
      Map<String, Object> m = node("call");
      Map<String, Object> func = new TreeMap<>();
      func.put("name", c.func().name());
      List<Object> argTypes = new ArrayList<>();
      for (ExprType t : c.func().argTypes()) {
        argTypes.add(t.toString());
      }
      func.put("argTypes", argTypes);
      func.put("variadic", (long) c.func().variadic());
      func.put("returnType", c.func().returnType().toString());
      m.put("func", func);
      List<Object> args = new ArrayList<>();
      for (Expr arg : c.args()) {
        args.add(build(arg));
      }
      m.put("args", args);
      return m;
    }
    if (e instanceof MatrixSelector ms) {
      VectorSelector vs = ms.selector();
      Map<String, Object> m = node("matrixSelector");
      m.put("name", vs.name() == null ? "" : vs.name());
      m.put("range", ms.rangeMs());
      m.put("offset", vs.offsetMs());
      m.put("matchers", matchers(vs.matchers()));
      m.put("timestamp", timestamp(vs.atMode(), vs.atMs()));
      m.put("startOrEnd", startOrEnd(vs.atMode()));
      m.put("anchored", vs.anchored());
      m.put("smoothed", vs.smoothed());
      return m;
    }
    if (e instanceof SubqueryExpr s) {
      Map<String, Object> m = node("subquery");
      m.put("expr", build(s.expr()));
      m.put("range", s.rangeMs());
      m.put("offset", s.offsetMs());
      m.put("step", s.stepMs());
      m.put("timestamp", timestamp(s.atMode(), s.atMs()));
      m.put("startOrEnd", startOrEnd(s.atMode()));
      m.put("alignEvalTime", false);
      return m;
    }
    if (e instanceof NumberLiteral n) {
      Map<String, Object> m = node("numberLiteral");
      m.put("val", GoFloat.formatF(n.value()));
      return m;
    }
    if (e instanceof ParenExpr p) {
      Map<String, Object> m = node("parenExpr");
      m.put("expr", build(p.expr()));
      return m;
    }
    if (e instanceof StringLiteral s) {
      Map<String, Object> m = node("stringLiteral");
      m.put("val", s.value());
      return m;
    }
    if (e instanceof UnaryExpr u) {
      Map<String, Object> m = node("unaryExpr");
      m.put("op", u.negate() ? "-" : "+");
      m.put("expr", build(u.expr()));
      return m;
    }
    if (e instanceof VectorSelector vs) {
      Map<String, Object> m = node("vectorSelector");
      m.put("name", vs.name() == null ? "" : vs.name());
      m.put("offset", vs.offsetMs());
      m.put("matchers", matchers(vs.matchers()));
      m.put("timestamp", timestamp(vs.atMode(), vs.atMs()));
      m.put("startOrEnd", startOrEnd(vs.atMode()));
      m.put("anchored", vs.anchored());
      m.put("smoothed", vs.smoothed());
      return m;
    }
    if (e instanceof StepInvariantExpr s) {
      return build(s.expr());
    }
    throw new IllegalArgumentException("unsupported node type " + e.getClass().getSimpleName());
  }

  private static Map<String, Object> node(String type) {
    Map<String, Object> m = new TreeMap<>();
    m.put("type", type);
    return m;
  }

  private static String cardinality(VectorMatching.Cardinality card) {
    return switch (card) {
      case ONE_TO_ONE -> "one-to-one";
      case MANY_TO_ONE -> "many-to-one";
      case ONE_TO_MANY -> "one-to-many";
      case MANY_TO_MANY -> "many-to-many";
    };
  }

  private static List<Object> matchers(List<Matcher> matchers) {
    List<Object> out = new ArrayList<>(matchers.size());
    for (Matcher matcher : matchers) {
      Map<String, Object> m = new TreeMap<>();
      m.put("name", matcher.name());
      m.put("value", matcher.value());
      m.put("type", matcher.type().symbol());
      out.add(m);
    }
    return out;
  }

  private static Object timestamp(AtMode mode, long atMs) {
    return mode == AtMode.TIMESTAMP ? (Object) atMs : null;
  }

  private static Object startOrEnd(AtMode mode) {
    return switch (mode) {
      case START -> "start";
      case END -> "end";
      default -> null;
    };
  }
}
