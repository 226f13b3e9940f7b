package dev.tsdb.promql.ast;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.index.labels.LabelStrings;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.parser.DeepStack;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Prometheus's canonical expression formatting (the AST's String(), promql/parser/printer.go):
 * one line, normalized spacing, {@code by}/{@code without} before the arguments, matchers sorted,
 * {@code @} before {@code offset}, durations in their shortest unit form.
 */
public final class Printer {
  private Printer() {}

  /** The canonical one-line form of {@code e}. */
  public static String format(Expr e) {
    return DeepStack.call(() -> {
      StringBuilder sb = new StringBuilder();
      write(sb, e);
      return sb.toString();
    });
  }

  static void write(StringBuilder sb, Expr e) {
    if (e instanceof AggregateExpr a) {
      writeAggregateHead(sb, a);
      sb.append('(');
      if (a.op().hasParam() && a.param() != null) {
        write(sb, a.param());
        sb.append(", ");
      }
      if (a.expr() != null) {
        write(sb, a.expr());
      }
      sb.append(')');
    } else if (e instanceof BinaryExpr b) {
      write(sb, b.lhs());
      sb.append(' ');
      writeBinaryOperator(sb, b);
      sb.append(' ');
      write(sb, b.rhs());
    } else if (e instanceof Call c) {
      sb.append(c.func().name()).append('(');
      for (int i = 0; i < c.args().size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        write(sb, c.args().get(i));
      }
      sb.append(')');
    } else if (e instanceof MatrixSelector m) {
      VectorSelector vs = m.selector();
      writeSelectorCore(sb, vs);
      sb.append('[');
      if (m.rangeExpr() != null) {
        writeDuration(sb, m.rangeExpr());
      } else {
        sb.append(ModelDuration.format(m.rangeMs()));
      }
      sb.append(']');
      writeExtended(sb, vs);
      writeAt(sb, vs.atMode(), vs.atMs());
      writeOffset(sb, vs.offsetMs(), vs.offsetExpr());
    } else if (e instanceof SubqueryExpr s) {
      write(sb, s.expr());
      writeSubquerySuffix(sb, s);
    } else if (e instanceof NumberLiteral n) {
      sb.append(number(n));
    } else if (e instanceof ParenExpr p) {
      sb.append('(');
      write(sb, p.expr());
      sb.append(')');
    } else if (e instanceof StringLiteral s) {
      sb.append(GoStrings.quote(s.value()));
    } else if (e instanceof UnaryExpr u) {
      sb.append(u.negate() ? '-' : '+');
      write(sb, u.expr());
    } else if (e instanceof VectorSelector vs) {
      writeSelectorCore(sb, vs);
      writeAt(sb, vs.atMode(), vs.atMs());
      writeExtended(sb, vs);
      writeOffset(sb, vs.offsetMs(), vs.offsetExpr());
    } else if (e instanceof StepInvariantExpr s) {
      write(sb, s.expr());
    }
  }

  /** {@code sum by (a) } / {@code sum without (a) } / {@code sum} (upstream's ShortString). */
  static void writeAggregateHead(StringBuilder sb, AggregateExpr a) {
    sb.append(a.op().keyword());
    if (a.without()) {
      sb.append(" without (");
      writeLabels(sb, a.grouping());
      sb.append(") ");
    } else if (!a.grouping().isEmpty()) {
      sb.append(" by (");
      writeLabels(sb, a.grouping());
      sb.append(") ");
    }
  }

  /** The operator with {@code bool} and matching modifiers: {@code / on (a) group_left ()}. */
  static void writeBinaryOperator(StringBuilder sb, BinaryExpr b) {
    sb.append(b.op().symbol());
    if (b.returnBool()) {
      sb.append(" bool");
    }
    VectorMatching vm = b.matching();
    if (vm == null) {
      return;
    }
    boolean grouped = vm.card() == VectorMatching.Cardinality.MANY_TO_ONE
        || vm.card() == VectorMatching.Cardinality.ONE_TO_MANY;
    if (!vm.matchingLabels().isEmpty() || vm.on() || grouped) {
      sb.append(vm.on() ? " on (" : " ignoring (");
      writeLabels(sb, vm.matchingLabels());
      sb.append(')');
    }
    if (grouped) {
      sb.append(vm.card() == VectorMatching.Cardinality.MANY_TO_ONE ? " group_left ("
          : " group_right (");
      writeLabels(sb, vm.include());
      sb.append(')');
    }
    if (vm.fillLeft() != null || vm.fillRight() != null) {
      // Upstream compares the two pointers: fill(v) sets both sides to the same value object.
      if (vm.fillLeft() == vm.fillRight()) {
        sb.append(" fill (").append(GoFloat.formatG(vm.fillLeft())).append(')');
      } else {
        if (vm.fillLeft() != null) {
          sb.append(" fill_left (").append(GoFloat.formatG(vm.fillLeft())).append(')');
        }
        if (vm.fillRight() != null) {
          sb.append(" fill_right (").append(GoFloat.formatG(vm.fillRight())).append(')');
        }
      }
    }
  }

  static void writeSubquerySuffix(StringBuilder sb, SubqueryExpr s) {
    sb.append('[');
    if (s.rangeExpr() != null) {
      writeDuration(sb, s.rangeExpr());
    } else {
      sb.append(ModelDuration.format(s.rangeMs()));
    }
    sb.append(':');
    // Like upstream, a resolved step wins over the expression it came from.
    if (s.stepMs() != 0) {
      sb.append(ModelDuration.format(s.stepMs()));
    } else if (s.stepExpr() != null) {
      writeDuration(sb, s.stepExpr());
    }
    sb.append(']');
    writeAt(sb, s.atMode(), s.atMs());
    writeOffset(sb, s.offsetMs(), s.offsetExpr());
  }

  /** A duration expression: {@code 5m + step() * 2}, {@code (1h)}, {@code min_of(a, b)}. */
  static void writeDuration(StringBuilder sb, DurationExpr d) {
    if (d.wrapped()) {
      sb.append('(');
    }
    switch (d.kind()) {
      case LITERAL -> sb.append(d.durationLiteral() ? durationText(d.value())
          : GoFloat.formatF(d.value()));
      case STEP -> sb.append("step()");
      case RANGE -> sb.append("range()");
      case MIN_OF, MAX_OF -> {
        sb.append(d.kind() == DurationExpr.Kind.MIN_OF ? "min_of(" : "max_of(");
        writeDuration(sb, d.lhs());
        sb.append(", ");
        writeDuration(sb, d.rhs());
        sb.append(')');
      }
      case NEGATE -> {
        sb.append('-');
        writeDuration(sb, d.rhs());
      }
      default -> {
        writeDuration(sb, d.lhs());
        sb.append(' ').append(switch (d.kind()) {
          case ADD -> "+";
          case SUB -> "-";
          case MUL -> "*";
          case DIV -> "/";
          case MOD -> "%";
          default -> "^";
        }).append(' ');
        writeDuration(sb, d.rhs());
      }
    }
    if (d.wrapped()) {
      sb.append(')');
    }
  }

  private static void writeLabels(StringBuilder sb, List<String> labels) {
    for (int i = 0; i < labels.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      String l = labels.get(i);
      sb.append(LabelStrings.isLegacyName(l) ? l : GoStrings.quote(l));
    }
  }

  private static void writeSelectorCore(StringBuilder sb, VectorSelector vs) {
    String name = vs.name() == null ? "" : vs.name();
    List<String> matchers = new ArrayList<>(vs.matchers().size());
    for (Matcher m : vs.matchers()) {
      if (m.name().equals(Labels.METRIC_NAME) && m.type() == Matcher.Type.EQ
          && m.value().equals(name) && !m.value().isEmpty()) {
        continue;
      }
      matchers.add(matcher(m));
    }
    sb.append(name);
    if (!matchers.isEmpty()) {
      matchers.sort(Printer::compareUtf8);
      sb.append('{').append(String.join(",", matchers)).append('}');
    }
  }

  /** Prometheus's Matcher.String(): name quoted unless a legacy name, value Go-quoted. */
  public static String matcher(Matcher m) {
    String name = LabelStrings.isLegacyName(m.name()) ? m.name() : GoStrings.quote(m.name());
    return name + m.type().symbol() + GoStrings.quote(m.value());
  }

  /** Byte-wise UTF-8 order (Go's sort.Strings), i.e. code point order. */
  private static int compareUtf8(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  private static void writeExtended(StringBuilder sb, VectorSelector vs) {
    if (vs.anchored()) {
      sb.append(" anchored");
    } else if (vs.smoothed()) {
      sb.append(" smoothed");
    }
  }

  private static void writeAt(StringBuilder sb, AtMode mode, long atMs) {
    switch (mode) {
      case TIMESTAMP -> sb.append(" @ ").append(
          new BigDecimal(atMs / 1000.0).setScale(3, RoundingMode.HALF_EVEN).toPlainString());
      case START -> sb.append(" @ start()");
      case END -> sb.append(" @ end()");
      default -> {
      }
    }
  }

  private static void writeOffset(StringBuilder sb, long offsetMs, DurationExpr offsetExpr) {
    if (offsetExpr != null) {
      sb.append(" offset ");
      writeDuration(sb, offsetExpr);
    } else if (offsetMs > 0) {
      sb.append(" offset ").append(ModelDuration.format(offsetMs));
    } else if (offsetMs < 0) {
      sb.append(" offset -").append(ModelDuration.format(-offsetMs));
    }
  }

  private static String number(NumberLiteral n) {
    return n.duration() ? durationText(n.value()) : GoFloat.formatF(n.value());
  }

  /** Seconds printed as a duration like model.Duration (via nanoseconds, as upstream). */
  private static String durationText(double v) {
    if (v < 0) {
      return "-" + ModelDuration.format((long) (-v * 1e9) / 1_000_000L);
    }
    return ModelDuration.format((long) (v * 1e9) / 1_000_000L);
  }
}
