package dev.tsdb.promql.parser;

import static dev.tsdb.promql.parser.grammar.PromQLParser.*;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoNumError;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AggregateOp;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.BinaryOp;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.DurationExpr;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.ExprType;
import dev.tsdb.promql.ast.Function;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.ast.StringLiteral;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorMatching;
import dev.tsdb.promql.ast.VectorMatching.Cardinality;
import dev.tsdb.promql.ast.VectorSelector;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.ParseTreeListener;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds the AST while ANTLR parses: a parse listener sees every rule exit at the moment the
 * rule completes (with one token of lookahead read), which is when upstream's yacc parser
 * reduces it. Semantic errors (unknown functions, bad durations, misplaced modifiers, ...) are
 * therefore recorded in the same order as upstream, before a later syntax error.
 */
final class AstBuilder implements ParseTreeListener {
  private static final double MAX_DURATION_SECONDS = 9223372036.854775807; // 1<<63 ns

  private final ParserOptions options;
  private final Parser parser;
  private final Map<ParserRuleContext, Object> nodes = new IdentityHashMap<>();
  /** The expression built so far for each open postfixExpr (modifiers apply one by one). */
  private final Map<ParserRuleContext, Expr> postfixCurrent = new IdentityHashMap<>();
  final Map<BinaryExpr, BinModifiers> modifiers = new IdentityHashMap<>();
  /** Types of composite nodes: Expr.type() recurses, which is quadratic on long chains. */
  final Map<Expr, ExprType> types = new IdentityHashMap<>();
  final List<PendingError> errors = new ArrayList<>();
  boolean failed;
  Object result;

  AstBuilder(ParserOptions options, Parser parser) {
    this.options = options;
    this.parser = parser;
  }

  // ---- listener plumbing ----

  @Override
  public void visitTerminal(TerminalNode node) {}

  @Override
  public void visitErrorNode(ErrorNode node) {}

  @Override
  public void enterEveryRule(ParserRuleContext ctx) {}

  @Override
  public void exitEveryRule(ParserRuleContext ctx) {
    if (failed || ctx.exception != null) {
      return;
    }
    Object node = build(ctx);
    if (node != null) {
      nodes.put(ctx, node);
    }
  }

  private Object build(ParserRuleContext ctx) {
    switch (ctx.getRuleIndex()) {
      case RULE_exprInput:
      case RULE_metricSelectorInput:
        result = node(ctx.getChild(0));
        return null;
      case RULE_seriesInput:
        result = seriesInput(ctx);
        return null;
      case RULE_expression:
        return node(ctx.getChild(0));
      case RULE_orExpr:
      case RULE_andExpr:
      case RULE_cmpExpr:
      case RULE_addExpr:
      case RULE_mulExpr:
        return foldBinary(ctx);
      case RULE_unaryExpr:
        return unary(ctx);
      case RULE_powExpr:
        if (ctx.getChildCount() == 1) {
          return node(ctx.getChild(0));
        }
        return binary(token(ctx, 1), expr(ctx.getChild(0)), (BinModifiers) node(ctx.getChild(2)),
            expr(ctx.getChild(3)));
      case RULE_primaryExpr: {
        Expr e = expr(ctx.getChild(0));
        if (ctx.getParent() != null && ctx.getParent().getRuleIndex() == RULE_postfixExpr) {
          postfixCurrent.put(ctx.getParent(), e);
        }
        return e;
      }
      case RULE_postfixOp: {
        ParserRuleContext parent = ctx.getParent();
        Expr current = postfixCurrent.get(parent);
        if (current != null) {
          postfixCurrent.put(parent, applyPostfix(current, ctx));
        }
        return null;
      }
      case RULE_postfixExpr:
        return postfixCurrent.remove(ctx);
      case RULE_parenExpr: {
        Expr inner = expr(ctx.getChild(1));
        ParenExpr p = new ParenExpr(inner, range(ctx));
        types.put(p, typeOf(inner));
        return p;
      }
      case RULE_numberLiteral:
        return numberLiteral(token(ctx, 0));
      case RULE_stringLiteral:
        return new StringLiteral(unquote(token(ctx, 0)), range(token(ctx, 0)));
      case RULE_binModifiers:
        return binModifiers(ctx);
      case RULE_groupingLabels:
        return groupingLabels(ctx);
      case RULE_groupingLabel:
        return groupingLabel(ctx);
      case RULE_aggregateExpr:
        return aggregate(ctx);
      case RULE_aggregateModifier:
        return new Grouping(token(ctx, 0).getType() == WITHOUT, labelsOf(ctx.getChild(1)));
      case RULE_functionArgs:
        return functionArgs(ctx);
      case RULE_functionCall:
        return call(ctx);
      case RULE_vectorSelector:
        return vectorSelector(ctx);
      case RULE_labelMatchers:
        return labelMatchers(ctx);
      case RULE_labelMatcher:
        return labelMatcher(ctx);
      case RULE_offsetValue:
        return offsetValue(ctx);
      case RULE_atValue:
        return atValue(ctx);
      case RULE_rangeSpec:
        return rangeSpec(ctx);
      case RULE_durationExpr:
        return node(ctx.getChild(0));
      case RULE_durationAdd:
      case RULE_durationMul:
        return foldDuration(ctx);
      case RULE_durationUnary:
        return durationUnary(ctx);
      case RULE_durationPow:
        if (ctx.getChildCount() == 1) {
          return node(ctx.getChild(0));
        }
        return durationBinary(token(ctx, 1), dur(ctx.getChild(0)), dur(ctx.getChild(2)));
      case RULE_durationAtom:
        return durationAtom(ctx);
      case RULE_seriesMetric:
        return seriesMetric(ctx);
      case RULE_labelSetItem:
        return labelSetItem(ctx);
      case RULE_seriesValues:
        return seriesValues(ctx);
      case RULE_seriesItem:
        return seriesItem(ctx);
      case RULE_seriesValue:
        return seriesValue(ctx);
      case RULE_seriesNumber:
        return seriesNumber(token(ctx, 0));
      default:
        return null;
    }
  }

  // ---- helpers ----

  private Object node(ParseTree t) {
    return nodes.get(t);
  }

  private Expr expr(ParseTree t) {
    return (Expr) nodes.get(t);
  }

  private DurationExpr dur(ParseTree t) {
    return (DurationExpr) nodes.get(t);
  }

  private static Token token(ParserRuleContext ctx, int child) {
    return ((TerminalNode) ctx.getChild(child)).getSymbol();
  }

  private static boolean isToken(ParseTree t, int type) {
    return t instanceof TerminalNode n && n.getSymbol().getType() == type;
  }

  static PosRange range(Token t) {
    return new PosRange(t.getStartIndex(), t.getStopIndex() + 1);
  }

  private static PosRange range(ParserRuleContext ctx) {
    return new PosRange(ctx.getStart().getStartIndex(), ctx.getStop().getStopIndex() + 1);
  }

  private static int end(ParserRuleContext ctx) {
    return ctx.getStop().getStopIndex() + 1;
  }

  private void error(PosRange pos, String message) {
    errors.add(new PendingError(pos, message, parser.getCurrentToken().getTokenIndex()));
  }

  private String unquote(Token t) {
    try {
      return GoStrings.unquote(t.getText());
    } catch (IllegalArgumentException e) {
      error(range(t), "error unquoting string " + GoStrings.quote(t.getText()) + ": "
          + e.getMessage());
      return "";
    }
  }

  /**
   * The lexer has checked PromQL's own number grammar; the value is read as upstream's parser
   * does, ParseInt(s, 0, 64) and failing that ParseFloat(s, 64).
   */
  private double number(Token t) {
    try {
      return GoNumbers.parseIntOrFloat(t.getText());
    } catch (GoNumError e) {
      error(range(t), "error parsing number: " + e.getMessage());
      return 0;
    }
  }

  /** Seconds of a DURATION token; errors are upstream's model.ParseDuration messages. */
  private double durationSeconds(Token t) {
    try {
      return ModelDuration.parseMillis(t.getText()) / 1000.0;
    } catch (IllegalArgumentException e) {
      error(range(t), e.getMessage());
      return 0;
    }
  }

  /** Seconds to milliseconds the way upstream goes through time.Duration (nanoseconds). */
  static long secondsToMillis(double seconds) {
    return Math.round(seconds * 1e9) / 1_000_000L;
  }

  // ---- expressions ----

  private Expr foldBinary(ParserRuleContext ctx) {
    Expr acc = expr(ctx.getChild(0));
    for (int i = 1; i + 2 < ctx.getChildCount(); i += 3) {
      acc = binary(((TerminalNode) ctx.getChild(i)).getSymbol(), acc,
          (BinModifiers) node(ctx.getChild(i + 1)), expr(ctx.getChild(i + 2)));
    }
    return acc;
  }

  private Expr binary(Token opToken, Expr lhs, BinModifiers mods, Expr rhs) {
    BinaryOp op = binaryOp(opToken.getType());
    if (mods == null) {
      mods = BinModifiers.NONE;
    }
    PosRange pos = new PosRange(lhs.pos().start(), rhs.pos().end());
    if (!options.enableBinopFillModifiers() && (mods.fillLeft() != null
        || mods.fillRight() != null)) {
      error(pos, "binop fill modifiers are experimental and not enabled");
    }
    VectorMatching matching = null;
    ExprType lt = typeOf(lhs);
    ExprType rt = typeOf(rhs);
    if (lt == ExprType.VECTOR && rt == ExprType.VECTOR) {
      Cardinality card = mods.card();
      if (op.isSetOperator() && card == Cardinality.ONE_TO_ONE) {
        card = Cardinality.MANY_TO_MANY;
      }
      matching = new VectorMatching(card, mods.matchingLabels(), mods.on(), mods.include(),
          mods.fillLeft(), mods.fillRight());
    }
    BinaryExpr b = new BinaryExpr(op, lhs, rhs, matching, mods.returnBool(), pos);
    modifiers.put(b, mods);
    types.put(b, lt == ExprType.SCALAR && rt == ExprType.SCALAR ? ExprType.SCALAR
        : ExprType.VECTOR);
    return b;
  }

  /** Like Expr.type(), but O(1) for composite nodes built here. */
  ExprType typeOf(Expr e) {
    ExprType t = types.get(e);
    return t != null ? t : e.type();
  }

  static BinaryOp binaryOp(int type) {
    switch (type) {
      case LOR: return BinaryOp.LOR;
      case LAND: return BinaryOp.LAND;
      case LUNLESS: return BinaryOp.LUNLESS;
      case EQLC: return BinaryOp.EQLC;
      case NEQ: return BinaryOp.NEQ;
      case LTE: return BinaryOp.LTE;
      case LSS: return BinaryOp.LSS;
      case GTE: return BinaryOp.GTE;
      case GTR: return BinaryOp.GTR;
      case TRIM_UPPER: return BinaryOp.TRIM_UPPER;
      case TRIM_LOWER: return BinaryOp.TRIM_LOWER;
      case ADD: return BinaryOp.ADD;
      case SUB: return BinaryOp.SUB;
      case MUL: return BinaryOp.MUL;
      case DIV: return BinaryOp.DIV;
      case MOD: return BinaryOp.MOD;
      case ATAN2: return BinaryOp.ATAN2;
      case POW: return BinaryOp.POW;
      default: throw new IllegalStateException("not a binary operator: " + type);
    }
  }

  private Expr unary(ParserRuleContext ctx) {
    if (!(ctx.getChild(0) instanceof TerminalNode)) {
      return expr(ctx.getChild(0));
    }
    Token op = token(ctx, 0);
    boolean negate = op.getType() == SUB;
    Expr operand = expr(ctx.getChild(1));
    PosRange pos = new PosRange(op.getStartIndex(), operand.pos().end());
    if (operand instanceof NumberLiteral nl) {
      return new NumberLiteral(negate ? -nl.value() : nl.value(), pos, nl.duration());
    }
    UnaryExpr u = new UnaryExpr(negate, operand, pos);
    types.put(u, typeOf(operand));
    return u;
  }

  private NumberLiteral numberLiteral(Token t) {
    if (t.getType() == DURATION) {
      return new NumberLiteral(durationSeconds(t), range(t), true);
    }
    return new NumberLiteral(number(t), range(t));
  }

  // ---- postfix modifiers ----

  private Expr applyPostfix(Expr e, ParserRuleContext op) {
    Token first = token(op, 0);
    switch (first.getType()) {
      case OFFSET: {
        DurationExpr d = dur(op.getChild(1));
        if (d == null) {
          return e;
        }
        return isLiteral(d) ? addOffset(e, secondsToMillis(d.value()), null, end(op))
            : addOffset(e, 0, d, end(op));
      }
      case AT: {
        AtValue at = (AtValue) node(op.getChild(1));
        if (at == null) {
          return e;
        }
        return at.mode == AtMode.TIMESTAMP ? setTimestamp(e, at.seconds, end(op))
            : setAtPreprocessor(e, at.mode, end(op));
      }
      case LEFT_BRACKET: {
        RangeSpec spec = (RangeSpec) node(op.getChild(1));
        if (spec == null) {
          return e;
        }
        PosRange brackets = range(op);
        return spec.subquery ? subquery(e, spec, brackets) : matrix(e, spec, brackets);
      }
      case ANCHORED:
        return extendedRange(e, "anchored");
      case SMOOTHED:
        return extendedRange(e, "smoothed");
      default:
        return e;
    }
  }

  private Expr addOffset(Expr e, long offsetMs, DurationExpr offsetExpr, int end) {
    if (e instanceof VectorSelector vs) {
      if (vs.offsetMs() != 0 || vs.offsetExpr() != null) {
        error(e.pos(), "offset may not be set multiple times");
        return e;
      }
      return selector(vs, offsetMs, offsetExpr, vs.atMode(), vs.atMs(),
          new PosRange(vs.pos().start(), end), vs.anchored(), vs.smoothed());
    }
    if (e instanceof MatrixSelector ms) {
      VectorSelector vs = ms.selector();
      if (vs.offsetMs() != 0 || vs.offsetExpr() != null) {
        error(e.pos(), "offset may not be set multiple times");
        return e;
      }
      VectorSelector inner = selector(vs, offsetMs, offsetExpr, vs.atMode(), vs.atMs(), vs.pos(),
          vs.anchored(), vs.smoothed());
      return new MatrixSelector(inner, ms.rangeMs(), new PosRange(ms.pos().start(), end),
          ms.rangeExpr());
    }
    if (e instanceof SubqueryExpr sq) {
      if (sq.offsetMs() != 0 || sq.offsetExpr() != null) {
        error(e.pos(), "offset may not be set multiple times");
        return e;
      }
      return new SubqueryExpr(sq.expr(), sq.rangeMs(), sq.stepMs(), offsetMs, sq.atMode(),
          sq.atMs(), new PosRange(sq.pos().start(), end), sq.rangeExpr(), sq.stepExpr(),
          offsetExpr);
    }
    error(e.pos(), "offset modifier must be preceded by an instant vector selector or range "
        + "vector selector or a subquery");
    return e;
  }

  private static VectorSelector selector(VectorSelector vs, long offsetMs,
      DurationExpr offsetExpr, AtMode atMode, long atMs, PosRange pos, boolean anchored,
      boolean smoothed) {
    return new VectorSelector(vs.name(), vs.matchers(), offsetMs, atMode, atMs, pos, anchored,
        smoothed, offsetExpr);
  }

  private Expr setTimestamp(Expr e, double ts, int end) {
    if (Double.isInfinite(ts) || Double.isNaN(ts) || ts >= (double) Long.MAX_VALUE
        || ts <= (double) Long.MIN_VALUE) {
      error(e.pos(), "timestamp out of bounds for @ modifier: " + GoFloat.format(ts, 'f', 6));
    }
    long ms = Math.round(ts * 1000);
    return withAt(e, AtMode.TIMESTAMP, ms, end);
  }

  private Expr setAtPreprocessor(Expr e, AtMode mode, int end) {
    return withAt(e, mode, 0, end);
  }

  private Expr withAt(Expr e, AtMode mode, long ms, int end) {
    if (e instanceof VectorSelector vs) {
      if (vs.atMode() != AtMode.NONE) {
        error(e.pos(), "@ <timestamp> may not be set multiple times");
        return e;
      }
      return selector(vs, vs.offsetMs(), vs.offsetExpr(), mode, ms,
          new PosRange(vs.pos().start(), end), vs.anchored(), vs.smoothed());
    }
    if (e instanceof MatrixSelector m) {
      VectorSelector vs = m.selector();
      if (vs.atMode() != AtMode.NONE) {
        error(e.pos(), "@ <timestamp> may not be set multiple times");
        return e;
      }
      VectorSelector inner = selector(vs, vs.offsetMs(), vs.offsetExpr(), mode, ms, vs.pos(),
          vs.anchored(), vs.smoothed());
      return new MatrixSelector(inner, m.rangeMs(), new PosRange(m.pos().start(), end),
          m.rangeExpr());
    }
    if (e instanceof SubqueryExpr sq) {
      if (sq.atMode() != AtMode.NONE) {
        error(e.pos(), "@ <timestamp> may not be set multiple times");
        return e;
      }
      return new SubqueryExpr(sq.expr(), sq.rangeMs(), sq.stepMs(), sq.offsetMs(), mode, ms,
          new PosRange(sq.pos().start(), end), sq.rangeExpr(), sq.stepExpr(), sq.offsetExpr());
    }
    error(e.pos(), "@ modifier must be preceded by an instant vector selector or range vector "
        + "selector or a subquery");
    return e;
  }

  private Expr matrix(Expr e, RangeSpec spec, PosRange brackets) {
    String problem = null;
    if (!(e instanceof VectorSelector vs)) {
      problem = "ranges only allowed for vector selectors";
    } else if (vs.offsetMs() != 0 || vs.offsetExpr() != null) {
      problem = "no offset modifiers allowed before range";
    } else if (vs.atMode() != AtMode.NONE) {
      problem = "no @ modifiers allowed before range";
    }
    if (problem != null) {
      error(brackets, problem);
    }
    if (!(e instanceof VectorSelector vs)) {
      return e;
    }
    PosRange pos = new PosRange(vs.pos().start(), brackets.end());
    DurationExpr range = spec.range;
    return isLiteral(range) ? new MatrixSelector(vs, secondsToMillis(range.value()), pos)
        : new MatrixSelector(vs, 0, pos, range);
  }

  private Expr subquery(Expr e, RangeSpec spec, PosRange brackets) {
    DurationExpr range = spec.range;
    DurationExpr step = spec.step;
    long rangeMs = isLiteral(range) ? secondsToMillis(range.value()) : 0;
    long stepMs = step != null && isLiteral(step) ? secondsToMillis(step.value()) : 0;
    return new SubqueryExpr(e, rangeMs, stepMs, 0, AtMode.NONE, 0,
        new PosRange(e.pos().start(), brackets.end()), isLiteral(range) ? null : range,
        step == null || isLiteral(step) ? null : step, null);
  }

  /** A plain number or duration (upstream's NumberLiteral), not an expression. */
  private static boolean isLiteral(DurationExpr d) {
    return d.kind() == DurationExpr.Kind.LITERAL && !d.wrapped();
  }

  /** Upstream's setAnchored/setSmoothed. */
  private Expr extendedRange(Expr e, String modifier) {
    if (!options.enableExtendedRangeSelectors()) {
      error(e.pos(), modifier + " modifier is experimental and not enabled");
      return e;
    }
    boolean anchored = modifier.equals("anchored");
    VectorSelector vs;
    if (e instanceof VectorSelector v) {
      vs = v;
    } else if (e instanceof MatrixSelector m) {
      vs = m.selector();
    } else if (e instanceof SubqueryExpr) {
      error(e.pos(), modifier + " modifier is not supported for subqueries");
      return e;
    } else {
      error(e.pos(), modifier + " modifier not implemented");
      return e;
    }
    if (anchored ? vs.smoothed() : vs.anchored()) {
      error(e.pos(), "anchored and smoothed modifiers cannot be used together");
    }
    VectorSelector marked = selector(vs, vs.offsetMs(), vs.offsetExpr(), vs.atMode(),
        vs.atMs(), vs.pos(), anchored || vs.anchored(), !anchored || vs.smoothed());
    if (e instanceof MatrixSelector m) {
      return new MatrixSelector(marked, m.rangeMs(), m.pos(), m.rangeExpr());
    }
    return marked;
  }

  // ---- binary modifiers ----

  private BinModifiers binModifiers(ParserRuleContext ctx) {
    boolean returnBool = false;
    boolean on = false;
    List<String> matching = List.of();
    Cardinality card = Cardinality.ONE_TO_ONE;
    List<String> include = List.of();
    Double fillLeft = null;
    Double fillRight = null;
    for (int i = 0; i < ctx.getChildCount(); i++) {
      ParseTree child = ctx.getChild(i);
      if (isToken(child, BOOL)) {
        returnBool = true;
        continue;
      }
      ParserRuleContext c = (ParserRuleContext) child;
      switch (c.getRuleIndex()) {
        case RULE_onOrIgnoring -> {
          on = token(c, 0).getType() == ON;
          matching = labelsOf(c.getChild(1));
        }
        case RULE_groupModifier -> {
          card = token(c, 0).getType() == GROUP_LEFT ? Cardinality.MANY_TO_ONE
              : Cardinality.ONE_TO_MANY;
          include = c.getChildCount() > 1 ? labelsOf(c.getChild(1)) : List.of();
        }
        case RULE_fillModifier -> {
          int kind = token(c, 0).getType();
          // One boxed value for fill(v): formatting tells fill(v) from equal fill_left/right by
          // identity, as upstream compares pointers.
          Double v = fillValue(c);
          if (kind == FILL || kind == FILL_LEFT) {
            fillLeft = v;
          }
          if (kind == FILL || kind == FILL_RIGHT) {
            fillRight = v;
          }
        }
        default -> {
        }
      }
    }
    return new BinModifiers(returnBool, on, matching, card, include, fillLeft, fillRight);
  }

  private double fillValue(ParserRuleContext c) {
    int i = 2;
    boolean negate = false;
    if (isToken(c.getChild(i), SUB) || isToken(c.getChild(i), ADD)) {
      negate = isToken(c.getChild(i), SUB);
      i++;
    }
    double v = number(token(c, i));
    return negate ? -v : v;
  }

  @SuppressWarnings("unchecked")
  private List<String> labelsOf(ParseTree groupingLabels) {
    Object labels = node(groupingLabels);
    return labels == null ? List.of() : (List<String>) labels;
  }

  private List<String> groupingLabels(ParserRuleContext ctx) {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < ctx.getChildCount(); i++) {
      if (ctx.getChild(i) instanceof ParserRuleContext c) {
        String label = (String) node(c);
        if (label != null) {
          labels.add(label);
        }
      }
    }
    return labels;
  }

  private String groupingLabel(ParserRuleContext ctx) {
    if (ctx.getChild(0) instanceof ParserRuleContext maybeLabel) {
      return maybeLabel.getText();
    }
    Token t = token(ctx, 0);
    String label = unquote(t);
    if (label.isEmpty() || !GoStrings.isValidUtf8(label)) {
      error(range(t), "invalid label name for grouping: " + GoStrings.quote(label));
    }
    return label;
  }

  // ---- aggregations and calls ----

  private record Grouping(boolean without, List<String> labels) {}

  @SuppressWarnings("unchecked")
  private Expr aggregate(ParserRuleContext ctx) {
    Token opToken = ((ParserRuleContext) ctx.getChild(0)).getStart();
    AggregateOp op = AggregateOp.fromKeyword(opToken.getText().toLowerCase(Locale.ROOT));
    Grouping grouping = new Grouping(false, List.of());
    List<Expr> args = List.of();
    for (int i = 1; i < ctx.getChildCount(); i++) {
      Object n = node(ctx.getChild(i));
      if (n instanceof Grouping g) {
        grouping = g;
      } else if (n instanceof List<?> l) {
        args = (List<Expr>) l;
      }
    }
    PosRange pos = new PosRange(opToken.getStartIndex(), end(ctx));
    if (args.isEmpty()) {
      error(pos, "no arguments for aggregate expression provided");
      return new AggregateExpr(op, null, null, grouping.labels, grouping.without, pos);
    }
    int desired = 1;
    Expr param = null;
    if (op.hasParam()) {
      if (!options.enableExperimentalFunctions()
          && (op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO)) {
        error(pos, op.keyword() + "() is experimental and must be enabled with "
            + "--enable-feature=promql-experimental-functions");
        return new AggregateExpr(op, null, null, grouping.labels, grouping.without, pos);
      }
      desired = 2;
      param = args.get(0);
    }
    if (args.size() != desired) {
      error(pos, "wrong number of arguments for aggregate expression provided, expected "
          + desired + ", got " + args.size());
      return new AggregateExpr(op, null, param, grouping.labels, grouping.without, pos);
    }
    return new AggregateExpr(op, args.get(desired - 1), param, grouping.labels, grouping.without,
        pos);
  }

  private List<Expr> functionArgs(ParserRuleContext ctx) {
    List<Expr> args = new ArrayList<>();
    for (int i = 0; i < ctx.getChildCount(); i++) {
      ParseTree c = ctx.getChild(i);
      if (c instanceof ParserRuleContext) {
        args.add(expr(c));
      } else if (isToken(c, COMMA) && isToken(ctx.getChild(i + 1), RIGHT_PAREN)) {
        error(range(((TerminalNode) c).getSymbol()),
            "trailing commas not allowed in function call args");
      }
    }
    return args;
  }

  @SuppressWarnings("unchecked")
  private Expr call(ParserRuleContext ctx) {
    Token name = ((ParserRuleContext) ctx.getChild(0)).getStart();
    Function f = Functions.get(name.getText());
    if (f == null) {
      error(range(name), "unknown function with name " + GoStrings.quote(name.getText()));
      f = new Function(name.getText(), List.of(), -1, ExprType.VECTOR, false);
    } else if (f.experimental() && !options.enableExperimentalFunctions()) {
      error(range(name), "function " + GoStrings.quote(name.getText()) + " is not enabled");
    }
    List<Expr> args = (List<Expr>) node(ctx.getChild(1));
    return new Call(f, args == null ? List.of() : args, new PosRange(name.getStartIndex(),
        end(ctx)));
  }

  // ---- selectors ----

  @SuppressWarnings("unchecked")
  private Expr vectorSelector(ParserRuleContext ctx) {
    String name = null;
    List<Matcher> matchers = new ArrayList<>();
    for (int i = 0; i < ctx.getChildCount(); i++) {
      ParserRuleContext c = (ParserRuleContext) ctx.getChild(i);
      if (c.getRuleIndex() == RULE_metricIdentifier) {
        name = c.getText();
      } else {
        Object m = node(c);
        if (m != null) {
          matchers.addAll((List<Matcher>) m);
        }
      }
    }
    if (name != null) {
      matchers.add(Matcher.eq(Labels.METRIC_NAME, name));
    }
    return new VectorSelector(name, matchers, 0, AtMode.NONE, 0, range(ctx));
  }

  private List<Matcher> labelMatchers(ParserRuleContext ctx) {
    List<Matcher> matchers = new ArrayList<>();
    for (int i = 0; i < ctx.getChildCount(); i++) {
      if (ctx.getChild(i) instanceof ParserRuleContext c) {
        Matcher m = (Matcher) node(c);
        if (m != null) {
          matchers.add(m);
        }
      }
    }
    return matchers;
  }

  private Matcher labelMatcher(ParserRuleContext ctx) {
    Token label = token(ctx, 0);
    if (ctx.getChildCount() == 1) {
      return Matcher.eq(Labels.METRIC_NAME, unquote(label));
    }
    String name = label.getType() == STRING ? unquote(label) : label.getText();
    Token op = ((ParserRuleContext) ctx.getChild(1)).getStart();
    Token value = token(ctx, 2);
    String v = unquote(value);
    Matcher.Type type = switch (op.getType()) {
      case NEQ -> Matcher.Type.NEQ;
      case EQL_REGEX -> Matcher.Type.RE;
      case NEQ_REGEX -> Matcher.Type.NRE;
      default -> Matcher.Type.EQ;
    };
    try { // a regex that does not parse fails with Go's error text
      return Matcher.of(type, name, v);
    } catch (IllegalArgumentException e) {
      error(new PosRange(label.getStartIndex(), value.getStopIndex() + 1), e.getMessage());
      return null;
    }
  }

  // ---- durations: offset, @, ranges ----

  private record AtValue(AtMode mode, double seconds) {}

  private record RangeSpec(DurationExpr range, DurationExpr step, boolean subquery) {}

  /** Upstream's offset_duration_expr: a signed literal, or a (signed) duration expression. */
  private DurationExpr offsetValue(ParserRuleContext ctx) {
    if (ctx.getChildCount() == 1) {
      return dur(ctx.getChild(0));
    }
    DurationExpr d = dur(ctx.getChild(1));
    return d == null ? null : signed(token(ctx, 0), d);
  }

  /** A unary sign: folded into literals, else a NEGATE node (unary plus is a no-op). */
  private DurationExpr signed(Token sign, DurationExpr d) {
    boolean negate = sign.getType() == SUB;
    PosRange pos = new PosRange(sign.getStartIndex(), d.pos().end());
    if (isLiteral(d)) {
      double v = negate ? -d.value() : d.value();
      if (outOfRange(v)) {
        error(range(sign), "duration out of range");
        return DurationExpr.literal(0, false, PosRange.NONE);
      }
      return DurationExpr.literal(v, d.durationLiteral(), pos);
    }
    if (!negate) {
      return d;
    }
    return new DurationExpr(DurationExpr.Kind.NEGATE, 0, false, null, d, false, pos);
  }

  private static boolean outOfRange(double seconds) {
    return seconds > MAX_DURATION_SECONDS || seconds < -MAX_DURATION_SECONDS;
  }

  private AtValue atValue(ParserRuleContext ctx) {
    Token first = token(ctx, 0);
    if (first.getType() == START) {
      return new AtValue(AtMode.START, 0);
    }
    if (first.getType() == END) {
      return new AtValue(AtMode.END, 0);
    }
    boolean negate = false;
    Token number = first;
    if (first.getType() == ADD || first.getType() == SUB) {
      negate = first.getType() == SUB;
      number = token(ctx, 1);
    }
    double v = number.getType() == DURATION ? durationSeconds(number) : number(number);
    return new AtValue(AtMode.TIMESTAMP, negate ? -v : v);
  }

  private RangeSpec rangeSpec(ParserRuleContext ctx) {
    DurationExpr range = positive(dur(ctx.getChild(0)));
    boolean subquery = ctx.getChildCount() > 1;
    DurationExpr step = null;
    if (ctx.getChildCount() > 2) {
      step = positive(dur(ctx.getChild(2)));
    }
    if (range == null) {
      return null;
    }
    return new RangeSpec(range, step, subquery);
  }

  /**
   * Upstream's positive_duration_expr: a literal range or step must be greater than zero;
   * expressions are checked when the engine evaluates them.
   */
  private DurationExpr positive(DurationExpr d) {
    if (d != null && isLiteral(d) && d.value() <= 0) {
      error(d.pos(), "duration must be greater than 0");
      return DurationExpr.literal(0, false, PosRange.NONE);
    }
    return d;
  }

  private DurationExpr foldDuration(ParserRuleContext ctx) {
    DurationExpr acc = dur(ctx.getChild(0));
    for (int i = 1; i + 1 < ctx.getChildCount(); i += 2) {
      acc = durationBinary(token(ctx, i), acc, dur(ctx.getChild(i + 1)));
    }
    return acc;
  }

  private DurationExpr durationBinary(Token op, DurationExpr lhs, DurationExpr rhs) {
    if (lhs == null || rhs == null) {
      return null;
    }
    experimentalDuration(lhs.pos());
    DurationExpr.Kind kind = switch (op.getType()) {
      case ADD -> DurationExpr.Kind.ADD;
      case SUB -> DurationExpr.Kind.SUB;
      case MUL -> DurationExpr.Kind.MUL;
      case DIV -> DurationExpr.Kind.DIV;
      case MOD -> DurationExpr.Kind.MOD;
      default -> DurationExpr.Kind.POW;
    };
    if ((kind == DurationExpr.Kind.DIV || kind == DurationExpr.Kind.MOD) && isLiteral(rhs)
        && rhs.value() == 0) {
      error(range(op), kind == DurationExpr.Kind.DIV ? "division by zero" : "modulo by zero");
      return DurationExpr.literal(0, false, PosRange.NONE);
    }
    return new DurationExpr(kind, 0, false, lhs, rhs, false,
        new PosRange(lhs.pos().start(), rhs.pos().end()));
  }

  private void experimentalDuration(PosRange pos) {
    if (!options.experimentalDurationExpr()) {
      error(pos, "experimental duration expression is not enabled");
    }
  }

  private DurationExpr durationUnary(ParserRuleContext ctx) {
    if (!(ctx.getChild(0) instanceof TerminalNode)) {
      return dur(ctx.getChild(0));
    }
    DurationExpr d = dur(ctx.getChild(1));
    return d == null ? null : signed(token(ctx, 0), d);
  }

  private DurationExpr durationAtom(ParserRuleContext ctx) {
    Token first = token(ctx, 0);
    switch (first.getType()) {
      case NUMBER, DURATION -> {
        double v = first.getType() == DURATION ? durationSeconds(first) : number(first);
        if (outOfRange(v)) {
          error(range(first), "duration out of range");
          return DurationExpr.literal(0, false, PosRange.NONE);
        }
        return DurationExpr.literal(v, first.getType() == DURATION, range(first));
      }
      case LEFT_PAREN -> {
        DurationExpr inner = dur(ctx.getChild(1));
        if (inner == null) {
          return null;
        }
        experimentalDuration(inner.pos());
        return inner.inParens(range(ctx));
      }
      case STEP, RANGE -> {
        experimentalDuration(range(ctx));
        return new DurationExpr(first.getType() == STEP ? DurationExpr.Kind.STEP
            : DurationExpr.Kind.RANGE, 0, false, null, null, false, range(ctx));
      }
      default -> {
        experimentalDuration(range(ctx));
        DurationExpr a = dur(ctx.getChild(2));
        DurationExpr b = dur(ctx.getChild(4));
        if (a == null || b == null) {
          return null;
        }
        return new DurationExpr(first.getType() == MIN_OF ? DurationExpr.Kind.MIN_OF
            : DurationExpr.Kind.MAX_OF, 0, false, a, b, false, range(ctx));
      }
    }
  }

  // ---- series descriptions ----

  private SeriesDescription seriesInput(ParserRuleContext ctx) {
    Labels labels = Labels.EMPTY;
    List<SequenceValue> values = List.of();
    boolean startTimestamps = false;
    for (int i = 0; i < ctx.getChildCount(); i++) {
      ParseTree child = ctx.getChild(i);
      if (isToken(child, AT)) {
        Token marker = token(ctx, i + 1);
        if (!marker.getText().equals("st")) {
          error(range(marker), "unexpected identifier " + GoStrings.quote(marker.getText())
              + " in series values, expected \"st\"");
        }
        startTimestamps = true;
      }
      Object n = node(child);
      if (n instanceof Labels l) {
        labels = l;
      } else if (n instanceof ValueList v) {
        values = v.values;
      }
    }
    return new SeriesDescription(labels, values, startTimestamps);
  }

  private Labels seriesMetric(ParserRuleContext ctx) {
    LabelsBuilder b = new LabelsBuilder();
    for (int i = 0; i < ctx.getChildCount(); i++) {
      ParserRuleContext c = (ParserRuleContext) ctx.getChild(i);
      if (c.getRuleIndex() == RULE_metricIdentifier) {
        b.set(Labels.METRIC_NAME, c.getText());
        continue;
      }
      for (int j = 0; j < c.getChildCount(); j++) {
        if (c.getChild(j) instanceof ParserRuleContext item && node(item) instanceof String[] kv) {
          b.set(kv[0], kv[1]);
        }
      }
    }
    return b.build();
  }

  private String[] labelSetItem(ParserRuleContext ctx) {
    Token first = token(ctx, 0);
    if (ctx.getChildCount() == 1) {
      return new String[] {Labels.METRIC_NAME, unquote(first)};
    }
    String name = first.getType() == STRING ? unquote(first) : first.getText();
    return new String[] {name, unquote(token(ctx, 2))};
  }

  private record ValueList(List<SequenceValue> values) {}

  @SuppressWarnings("unchecked")
  private ValueList seriesValues(ParserRuleContext ctx) {
    List<SequenceValue> values = new ArrayList<>();
    for (int i = 0; i < ctx.getChildCount(); i++) {
      if (ctx.getChild(i) instanceof ParserRuleContext c && node(c) instanceof List<?> l) {
        values.addAll((List<SequenceValue>) l);
      }
    }
    return new ValueList(values);
  }

  private List<SequenceValue> seriesItem(ParserRuleContext ctx) {
    List<SequenceValue> out = new ArrayList<>();
    if (isToken(ctx.getChild(0), BLANK)) {
      if (ctx.getChildCount() == 1) {
        out.add(SequenceValue.OMITTED);
        return out;
      }
      long times = repetitions(token(ctx, 2));
      for (long i = 0; i < times; i++) {
        out.add(SequenceValue.OMITTED);
      }
      return out;
    }
    Double start = (Double) node(ctx.getChild(0));
    if (start == null) {
      return out;
    }
    if (ctx.getChildCount() == 1) {
      out.add(SequenceValue.of(start));
      return out;
    }
    double delta = 0;
    int timesIndex = 2;
    if (!isToken(ctx.getChild(1), TIMES)) {
      Double d = (Double) node(ctx.getChild(2));
      delta = d == null ? 0 : (isToken(ctx.getChild(1), SUB) ? -d : d);
      timesIndex = 4;
    }
    long times = repetitions(token(ctx, timesIndex));
    double v = start;
    // One more value than repetitions: the first is for time 0. Repeated addition like upstream.
    for (long i = 0; i <= times; i++) {
      out.add(SequenceValue.of(v));
      v += delta;
    }
    return out;
  }

  private long repetitions(Token t) {
    try {
      return GoNumbers.parseUint(t.getText(), 10, 64);
    } catch (GoNumError e) {
      error(range(t), "invalid repetition in series values: " + e.getMessage());
      return 0;
    }
  }

  private Double seriesValue(ParserRuleContext ctx) {
    Token first = ctx.getStart();
    if (isToken(ctx.getChild(0), IDENTIFIER)) {
      if (!first.getText().equals("stale")) {
        error(range(first), "unexpected identifier " + GoStrings.quote(first.getText())
            + " in series values, expected number or \"stale\"");
        return null;
      }
      return SequenceValue.STALE_NAN;
    }
    if (ctx.getChildCount() == 1) {
      return (Double) node(ctx.getChild(0));
    }
    Double v = (Double) node(ctx.getChild(1));
    if (v == null) {
      return null;
    }
    return first.getType() == SUB ? -v : v;
  }

  private Double seriesNumber(Token t) {
    return t.getType() == DURATION ? durationSeconds(t) : number(t);
  }
}
