package dev.tsdb.promql.ast;

import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.promql.parser.DeepStack;

/**
 * Prometheus's Prettify (promql/parser/prettier.go), what /api/v1/format_query returns: a node
 * whose one-line form is longer than 100 bytes is split, its children indented two spaces per
 * level; shorter nodes print as {@link Printer#format}.
 */
public final class Prettier {
  private static final int MAX_CHARACTERS_PER_LINE = 100;
  private static final String INDENT = "  ";

  private Prettier() {}

  public static String format(Expr e) {
    return DeepStack.call(() -> pretty(e, 0));
  }

  private static String pretty(Expr e, int level) {
    if (e instanceof AggregateExpr a) {
      if (!needsSplit(a)) {
        return indent(level) + a;
      }
      StringBuilder sb = new StringBuilder(indent(level));
      Printer.writeAggregateHead(sb, a);
      sb.append("(\n");
      if (a.op().hasParam() && a.param() != null) {
        sb.append(pretty(a.param(), level + 1)).append(",\n");
      }
      sb.append(pretty(a.expr(), level + 1)).append('\n').append(indent(level)).append(')');
      return sb.toString();
    }
    if (e instanceof BinaryExpr b) {
      if (!needsSplit(b)) {
        return indent(level) + b;
      }
      StringBuilder sb = new StringBuilder();
      sb.append(pretty(b.lhs(), level + 1)).append('\n').append(indent(level));
      Printer.writeBinaryOperator(sb, b);
      sb.append('\n').append(pretty(b.rhs(), level + 1));
      return sb.toString();
    }
    if (e instanceof Call c) {
      if (!needsSplit(c)) {
        return indent(level) + c;
      }
      StringBuilder sb = new StringBuilder(indent(level));
      sb.append(c.func().name()).append("(\n");
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) {
          sb.append(",\n");
        }
        sb.append(pretty(c.args().get(i), level + 1));
      }
      sb.append('\n').append(indent(level)).append(')');
      return sb.toString();
    }
    if (e instanceof ParenExpr p) {
      if (!needsSplit(p)) {
        return indent(level) + p;
      }
      return indent(level) + "(\n" + pretty(p.expr(), level + 1) + "\n" + indent(level) + ")";
    }
    if (e instanceof SubqueryExpr s) {
      // Upstream prints an unsplit subquery without indentation; kept for identical output.
      if (!needsSplit(s)) {
        return s.toString();
      }
      StringBuilder sb = new StringBuilder(pretty(s.expr(), level));
      Printer.writeSubquerySuffix(sb, s);
      return sb.toString();
    }
    if (e instanceof UnaryExpr u) {
      String child = pretty(u.expr(), level).strip();
      return indent(level) + (u.negate() ? "-" : "+") + child;
    }
    if (e instanceof StepInvariantExpr s) {
      return pretty(s.expr(), level);
    }
    return indent(level) + e;
  }

  private static boolean needsSplit(Expr e) {
    return GoStrings.utf8Length(e.toString()) > MAX_CHARACTERS_PER_LINE;
  }

  private static String indent(int level) {
    return INDENT.repeat(level);
  }
}
