package dev.tsdb.promql.engine;

import dev.tsdb.gocompat.GoMath;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.BinaryOp;
import dev.tsdb.promql.ast.ExprType;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.ast.VectorMatching;
import dev.tsdb.promql.ast.VectorMatching.Cardinality;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators between scalars and vectors, with Prometheus's vector matching rules. */
final class BinaryOps {
  private BinaryOps() {}

  static List<EvalSeries> eval(Evaluator ev, BinaryExpr e) {
    ExprType lt = e.lhs().type();
    ExprType rt = e.rhs().type();
    BinaryOp op = e.op();
    if (lt == ExprType.SCALAR && rt == ExprType.SCALAR) {
      return ev.rangeEval((in, out, ts) ->
          out.add(Labels.EMPTY, scalarBinop(op, in[0].f[0], in[1].f[0]), false),
          e.lhs(), e.rhs());
    }
    if (lt == ExprType.VECTOR && rt == ExprType.VECTOR) {
      return vectorVector(ev, e);
    }
    return vectorScalar(ev, e, lt == ExprType.SCALAR);
  }

  /**
   * Vector-scalar operations work series by series, in place: every point is combined with the
   * scalar's value at its step, points a comparison filters out are dropped. Labels only change
   * when the name is dropped right away, and series that then collide are merged (or rejected
   * when they overlap) exactly as step-wise evaluation would.
   */
  private static List<EvalSeries> vectorScalar(Evaluator ev, BinaryExpr e, boolean swap) {
    BinaryOp op = e.op();
    boolean delayed = ev.delayed();
    boolean returnBool = e.returnBool();
    boolean dropsName = changesMetricSchema(op) || returnBool;
    double[] scalar;
    List<EvalSeries> vec;
    if (swap) {
      scalar = ev.scalarValues(e.lhs());
      vec = ev.evalMatrix(e.rhs());
    } else {
      vec = ev.evalMatrix(e.lhs());
      scalar = ev.scalarValues(e.rhs());
    }
    List<EvalSeries> out = new ArrayList<>(vec.size());
    ElementOps.Result elem = new ElementOps.Result();
    for (EvalSeries s : vec) {
      int w = 0;
      for (int i = 0; i < s.n; i++) {
        double sv = scalar[(int) ((s.ts[i] - ev.start) / ev.interval)];
        double lf = swap ? sv : s.vs[i];
        double rf = swap ? s.vs[i] : sv;
        FloatHistogram vh = s.h(i);
        if (!ElementOps.apply(op, lf, swap ? null : vh, rf, swap ? vh : null,
            ev.ctx.annotations, e.pos(), elem)) {
          continue;
        }
        double value = elem.f;
        FloatHistogram hist = elem.h;
        boolean keep = elem.keep;
        if (op.isComparison() && swap) {
          // The vector's element is the result (comparisons never hold for a histogram).
          value = rf;
        }
        if (returnBool) {
          value = keep ? 1.0 : 0.0;
          hist = null;
          keep = true;
        }
        if (keep) {
          s.ts[w] = s.ts[i];
          s.vs[w] = value;
          if (s.hs != null) {
            s.hs[w] = hist;
          }
          w++;
        }
      }
      s.n = w;
      if (w == 0) {
        continue;
      }
      if (dropsName) {
        if (!delayed) {
          s.metric = LabelOps.dropMetadata(s.metric);
        }
        s.dropName = true;
      }
      out.add(s);
    }
    if (dropsName && !delayed) {
      out = ev.mergeSeriesWithSameLabelset(out);
    }
    return out;
  }

  static boolean changesMetricSchema(BinaryOp op) {
    return switch (op) {
      case ADD, SUB, DIV, MUL, POW, MOD, ATAN2 -> true;
      default -> false;
    };
  }

  static double scalarBinop(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> goPow(l, r);
      case MOD -> goMod(l, r);
      case EQLC -> l == r ? 1 : 0;
      case NEQ -> l != r ? 1 : 0;
      case GTR -> l > r ? 1 : 0;
      case LSS -> l < r ? 1 : 0;
      case GTE -> l >= r ? 1 : 0;
      case LTE -> l <= r ? 1 : 0;
      case ATAN2 -> GoMath.atan2(l, r);
      // The parser lets `1 </ 2` through (trims are no comparisons); Prometheus then fails the
      // query with this error.
      default -> throw new PromQLException(ErrorType.EXECUTION,
          "operator " + GoStrings.quote(op.symbol()) + " not allowed for Scalar operations");
    };
  }

  /** Go's math.Pow (special cases and rounding). */
  static double goPow(double x, double y) {
    return GoMath.pow(x, y);
  }

  /** Go's math.Mod: result has the sign of x; Java's % agrees, including the special cases. */
  static double goMod(double x, double y) {
    return x % y;
  }

  /** The value of a float-float element operation (comparisons yield the left value). */
  static double elemValue(BinaryOp op, double l, double r) {
    return switch (op) {
      case ADD -> l + r;
      case SUB -> l - r;
      case MUL -> l * r;
      case DIV -> l / r;
      case POW -> goPow(l, r);
      case MOD -> goMod(l, r);
      case ATAN2 -> GoMath.atan2(l, r);
      default -> l;
    };
  }

  static boolean elemKeep(BinaryOp op, double l, double r) {
    return switch (op) {
      case EQLC -> l == r;
      case NEQ -> l != r;
      case GTR -> l > r;
      case LSS -> l < r;
      case GTE -> l >= r;
      case LTE -> l <= r;
      default -> true;
    };
  }

  /** Whether one-to-one matching may go series by series; off only to compare in tests. */
  static boolean seriesWise = true;

  private static List<EvalSeries> vectorVector(Evaluator ev, BinaryExpr e) {
    VectorMatching matching = e.matching();
    if (matching == null) {
      matching = new VectorMatching(e.op().isSetOperator() ? Cardinality.MANY_TO_MANY
          : Cardinality.ONE_TO_ONE, List.of(), false, List.of());
    }
    List<List<EvalSeries>> mats = new ArrayList<>(2);
    mats.add(ev.evalMatrix(e.lhs()));
    mats.add(ev.evalMatrix(e.rhs()));
    int[][] sigs = Evaluator.signatures(matching, mats);
    int numSigs = 0;
    for (int[] s : sigs) {
      for (int v : s) {
        numSigs = Math.max(numSigs, v + 1);
      }
    }
    VectorMatching m = matching;
    if (seriesWise && !e.op().isSetOperator() && m.card() == Cardinality.ONE_TO_ONE
        && m.fillLeft() == null
        && m.fillRight() == null) {
      List<EvalSeries> res = oneToOneSeriesWise(ev, e, m, mats, sigs, numSigs);
      if (res != null) {
        return res;
      }
    }
    if (seriesWise && e.op().isSetOperator()) {
      List<EvalSeries> res = setOpSeriesWise(ev, e.op(), mats, sigs, numSigs);
      if (res != null) {
        return res;
      }
    }
    Evaluator.StepFn fn = switch (e.op()) {
      case LAND -> new SetOp(sigs, numSigs, 0);
      case LOR -> new SetOp(sigs, numSigs, 1);
      case LUNLESS -> new SetOp(sigs, numSigs, 2);
      default -> new Arith(ev, e, m, sigs, numSigs);
    };
    return ev.rangeEvalMats(fn, mats);
  }

  /**
   * One-to-one matching where no signature occurs twice on either side (the usual case): then
   * the pairing of series is the same at every step, so each pair is computed once, walking both
   * point lists together, instead of matching whole vectors step by step. The step-by-step
   * evaluation could raise no matching error on such input and produces the same series in the
   * same order (by first output timestamp, then left-hand series); the sample limit is checked
   * at the same points. Returns null when the input does not qualify.
   */
  private static List<EvalSeries> oneToOneSeriesWise(Evaluator ev, BinaryExpr e,
      VectorMatching matching, List<List<EvalSeries>> mats, int[][] sigs, int numSigs) {
    List<EvalSeries> lhs = mats.get(0);
    List<EvalSeries> rhs = mats.get(1);
    int[] rhsBySig = new int[numSigs];
    Arrays.fill(rhsBySig, -1);
    for (int j = 0; j < rhs.size(); j++) {
      int sig = sigs[1][j];
      if (rhsBySig[sig] >= 0) {
        return null;
      }
      rhsBySig[sig] = j;
    }
    boolean[] lhsSeen = new boolean[numSigs];
    for (int i = 0; i < lhs.size(); i++) {
      if (lhsSeen[sigs[0][i]]) {
        return null;
      }
      lhsSeen[sigs[0][i]] = true;
    }
    BinaryOp op = e.op();
    boolean returnBool = e.returnBool();
    boolean delayed = ev.delayed();
    Arith labels = new Arith(ev, e, matching, sigs, numSigs);
    ElementOps.Result elem = new ElementOps.Result();
    int steps = ev.numSteps();
    long[] inputsAt = new long[steps]; // points gathered at each step
    long[] outputsAt = new long[steps]; // points produced at each step
    List<EvalSeries> out = new ArrayList<>();
    List<long[]> order = new ArrayList<>(); // {first output timestamp, lhs index}
    Set<Labels> metrics = new HashSet<>();
    for (List<EvalSeries> side : mats) {
      for (EvalSeries s : side) {
        for (int k = 0; k < s.n; k++) {
          inputsAt[(int) ((s.ts[k] - ev.start) / ev.interval)] += EvalSeries.sampleCost(s.h(k));
        }
      }
    }
    for (int i = 0; i < lhs.size(); i++) {
      if ((i & 1023) == 0) {
        ev.ctx.checkDone(Evaluator.ENV);
      }
      int j = rhsBySig[sigs[0][i]];
      if (j < 0) {
        continue;
      }
      EvalSeries l = lhs.get(i);
      EvalSeries r = rhs.get(j);
      EvalSeries res = null;
      int a = 0;
      int b = 0;
      while (a < l.n && b < r.n) {
        long ta = l.ts[a];
        long tb = r.ts[b];
        if (ta < tb) {
          a++;
          continue;
        }
        if (tb < ta) {
          b++;
          continue;
        }
        FloatHistogram hl = l.h(a);
        FloatHistogram hr = r.h(b);
        double fl = l.vs[a++];
        double fr = r.vs[b++];
        if (!ElementOps.apply(op, fl, hl, fr, hr, ev.ctx.annotations, e.pos(), elem)) {
          continue;
        }
        double value = elem.f;
        FloatHistogram hist = elem.h;
        boolean keep = elem.keep;
        if (returnBool) {
          value = keep ? 1.0 : 0.0;
          hist = null;
        } else if (!keep) {
          continue;
        }
        if (res == null) {
          Labels metric = labels.resultMetric(l.metric, r.metric, -1);
          if (!delayed && returnBool) {
            metric = LabelOps.dropMetadata(metric);
          }
          if (!metrics.add(metric)) {
            return null; // colliding results: the step-wise path merges or rejects them
          }
          res = new EvalSeries(metric, Math.min(Math.min(l.n, r.n), steps));
          res.dropName = returnBool;
          order.add(new long[] {ta, out.size()});
          out.add(res);
        }
        res.add(ta, value, hist);
        outputsAt[(int) ((ta - ev.start) / ev.interval)] += EvalSeries.sampleCost(hist);
      }
    }
    // As step by step: at each step the inputs gathered and the outputs made count on top of
    // the outputs of earlier steps.
    long produced = ev.currentSamples;
    for (int step = 0; step < steps; step++) {
      ev.ctx.samples.holding(produced + inputsAt[step] + outputsAt[step]);
      if (produced + inputsAt[step] + outputsAt[step] > ev.ctx.maxSamples) {
        throw QueryContext.tooManySamples();
      }
      produced += outputsAt[step];
    }
    order.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
    List<EvalSeries> sorted = new ArrayList<>(out.size());
    for (long[] o : order) {
      sorted.add(out.get((int) o[1]));
    }
    ev.currentSamples += Evaluator.totalSamples(sorted);
    return sorted;
  }

  /**
   * and / or / unless series by series: which signatures are present at which step is noted in
   * one bitmap per signature of the deciding side, then each input series is filtered against
   * it. Same series, points and order as step by step (by first timestamp, left before right,
   * then input order); returns null (use the step-wise path) if two outputs share labels, which
   * step-wise evaluation merges or rejects.
   */
  private static List<EvalSeries> setOpSeriesWise(Evaluator ev, BinaryOp op,
      List<List<EvalSeries>> mats, int[][] sigs, int numSigs) {
    int steps = ev.numSteps();
    int words = (steps + 63) >>> 6;
    // or: the left side decides which right-hand points survive; and/unless: the right side
    // decides which left-hand points survive.
    int decider = op == BinaryOp.LOR ? 0 : 1;
    long[][] present = new long[numSigs][];
    long[] inputsAt = new long[steps];
    for (int side = 0; side < 2; side++) {
      List<EvalSeries> mat = mats.get(side);
      for (int i = 0; i < mat.size(); i++) {
        EvalSeries s = mat.get(i);
        long[] bits = null;
        if (side == decider) {
          int sig = sigs[side][i];
          bits = present[sig];
          if (bits == null) {
            bits = new long[words];
            present[sig] = bits;
          }
        }
        for (int k = 0; k < s.n; k++) {
          int step = (int) ((s.ts[k] - ev.start) / ev.interval);
          inputsAt[step] += EvalSeries.sampleCost(s.h(k));
          if (bits != null) {
            bits[step >>> 6] |= 1L << step;
          }
        }
      }
    }
    long[] outputsAt = new long[steps];
    List<EvalSeries> out = new ArrayList<>();
    List<long[]> order = new ArrayList<>(); // {first timestamp, side, position in out}
    Set<Labels> metrics = new HashSet<>();
    for (int side = 0; side < 2; side++) {
      if (side == 1 && op != BinaryOp.LOR) {
        break; // and/unless only ever return left-hand points
      }
      List<EvalSeries> mat = mats.get(side);
      for (int i = 0; i < mat.size(); i++) {
        EvalSeries s = mat.get(i);
        EvalSeries res = null;
        long[] bits = side == decider ? null : present[sigs[side][i]];
        for (int k = 0; k < s.n; k++) {
          int step = (int) ((s.ts[k] - ev.start) / ev.interval);
          boolean decided = bits != null && (bits[step >>> 6] & (1L << step)) != 0;
          boolean keep = switch (op) {
            case LAND -> decided;
            case LUNLESS -> !decided;
            default -> side == 0 || !decided;
          };
          if (!keep) {
            continue;
          }
          if (res == null) {
            if (!metrics.add(s.metric)) {
              return null;
            }
            res = new EvalSeries(s.metric, s.n - k);
            res.dropName = s.dropName;
            order.add(new long[] {s.ts[k], side, out.size()});
            out.add(res);
          }
          res.add(s.ts[k], s.vs[k], s.h(k));
          outputsAt[step] += EvalSeries.sampleCost(s.h(k));
        }
      }
    }
    long produced = ev.currentSamples;
    for (int step = 0; step < steps; step++) {
      ev.ctx.samples.holding(produced + inputsAt[step] + outputsAt[step]);
      if (produced + inputsAt[step] + outputsAt[step] > ev.ctx.maxSamples) {
        throw QueryContext.tooManySamples();
      }
      produced += outputsAt[step];
    }
    order.sort((x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0])
        : x[1] != y[1] ? Long.compare(x[1], y[1]) : Long.compare(x[2], y[2]));
    List<EvalSeries> sorted = new ArrayList<>(out.size());
    for (long[] o : order) {
      sorted.add(out.get((int) o[2]));
    }
    ev.currentSamples += Evaluator.totalSamples(sorted);
    return sorted;
  }

  /** and / or / unless. */
  private static final class SetOp implements Evaluator.StepFn {
    final int[][] sigs;
    final boolean[] present;
    final int kind;

    SetOp(int[][] sigs, int numSigs, int kind) {
      this.sigs = sigs;
      this.present = new boolean[numSigs];
      this.kind = kind;
    }

    @Override
    public void apply(StepVector[] in, StepVector out, long ts) {
      StepVector lhs = in[0];
      StepVector rhs = in[1];
      switch (kind) {
        case 0 -> {
          if (lhs.n == 0 || rhs.n == 0) {
            return;
          }
          Arrays.fill(present, false);
          for (int i = 0; i < rhs.n; i++) {
            present[sigs[1][rhs.src[i]]] = true;
          }
          for (int i = 0; i < lhs.n; i++) {
            if (present[sigs[0][lhs.src[i]]]) {
              out.copyFrom(lhs, i);
            }
          }
        }
        case 1 -> {
          if (lhs.n == 0) {
            for (int i = 0; i < rhs.n; i++) {
              out.copyFrom(rhs, i);
            }
            return;
          }
          if (rhs.n == 0) {
            for (int i = 0; i < lhs.n; i++) {
              out.copyFrom(lhs, i);
            }
            return;
          }
          Arrays.fill(present, false);
          for (int i = 0; i < lhs.n; i++) {
            present[sigs[0][lhs.src[i]]] = true;
            out.copyFrom(lhs, i);
          }
          for (int i = 0; i < rhs.n; i++) {
            if (!present[sigs[1][rhs.src[i]]]) {
              out.copyFrom(rhs, i);
            }
          }
        }
        default -> {
          if (lhs.n == 0 || rhs.n == 0) {
            for (int i = 0; i < lhs.n; i++) {
              out.copyFrom(lhs, i);
            }
            return;
          }
          Arrays.fill(present, false);
          for (int i = 0; i < rhs.n; i++) {
            present[sigs[1][rhs.src[i]]] = true;
          }
          for (int i = 0; i < lhs.n; i++) {
            if (!present[sigs[0][lhs.src[i]]]) {
              out.copyFrom(lhs, i);
            }
          }
        }
      }
    }
  }

  /** Arithmetic and comparison operators between two vectors. */
  private static final class Arith implements Evaluator.StepFn {
    final Evaluator ev;
    final BinaryOp op;
    final VectorMatching matching;
    final boolean returnBool;
    final int[][] sigs;
    final int[] rightIdx; // per signature: index into the "one" side vector, or -1
    final Map<Long, Labels> resultMetric = new HashMap<>();
    final Map<Integer, Set<Labels>> matched = new HashMap<>();
    final boolean[] matchedOne;
    final boolean[] matchedAny;
    final PosRange pos;
    final ElementOps.Result elem = new ElementOps.Result();

    Arith(Evaluator ev, BinaryExpr e, VectorMatching matching, int[][] sigs, int numSigs) {
      this.ev = ev;
      this.op = e.op();
      this.matching = matching;
      this.returnBool = e.returnBool();
      this.sigs = sigs;
      this.rightIdx = new int[numSigs];
      this.matchedOne = new boolean[numSigs];
      this.matchedAny = new boolean[numSigs];
      this.pos = e.pos();
    }

    @Override
    public void apply(StepVector[] in, StepVector out, long ts) {
      StepVector lhs = in[0];
      StepVector rhs = in[1];
      Double fillLeft = matching.fillLeft();
      Double fillRight = matching.fillRight();
      if ((lhs.n == 0 && rhs.n == 0)
          || ((lhs.n == 0 || rhs.n == 0) && fillLeft == null && fillRight == null)) {
        return;
      }
      int lhsSide = 0;
      int rhsSide = 1;
      boolean oneToMany = matching.card() == Cardinality.ONE_TO_MANY;
      if (oneToMany) {
        StepVector t = lhs;
        lhs = rhs;
        rhs = t;
        lhsSide = 1;
        rhsSide = 0;
      }
      Arrays.fill(rightIdx, -1);
      for (int i = 0; i < rhs.n; i++) {
        int sig = sigs[rhsSide][rhs.src[i]];
        int prev = rightIdx[sig];
        if (prev >= 0) {
          Labels a = rhs.metric[prev];
          Labels b = rhs.metric[i];
          if (a.compareTo(b) > 0) {
            Labels t = a;
            a = b;
            b = t;
          }
          throw ev.error("found duplicate series for the match group "
              + matchLabels(rhs.metric[i]) + " on the " + (oneToMany ? "left" : "right")
              + " hand-side of the operation: [" + a + ", " + b
              + "];many-to-many matching not allowed: matching labels must be unique on one side");
        }
        rightIdx[sig] = i;
      }
      Arrays.fill(matchedOne, false);
      Arrays.fill(matchedAny, false);
      matched.clear();
      for (int i = 0; i < lhs.n; i++) {
        int sig = sigs[lhsSide][lhs.src[i]];
        int ri = rightIdx[sig];
        if (ri >= 0) {
          doBinOp(lhs.metric[i], lhs.f[i], lhs.h[i], rhs.metric[ri], rhs.f[ri], rhs.h[ri], sig,
              oneToMany, ((long) lhs.src[i] << 32) | (rhs.src[ri] & 0xffffffffL), out);
        } else if (fillRight != null) {
          doBinOp(lhs.metric[i], lhs.f[i], lhs.h[i], matchLabels(lhs.metric[i]), fillRight, null,
              sig, oneToMany, -1, out);
        }
      }
      if (fillLeft != null) {
        for (int j = 0; j < rhs.n; j++) {
          int sig = sigs[rhsSide][rhs.src[j]];
          if (matchedAny[sig]) {
            continue;
          }
          doBinOp(matchLabels(rhs.metric[j]), fillLeft, null, rhs.metric[j], rhs.f[j], rhs.h[j],
              sig, oneToMany, -1, out);
        }
      }
    }

    /** One element pair; l is the "many" side, r the "one" side (swapped for group_right). */
    private void doBinOp(Labels lm, double lf, FloatHistogram lh, Labels rm, double rf,
        FloatHistogram rh, int sig, boolean swapped, long cacheKey, StepVector out) {
      double fl = lf;
      double fr = rf;
      FloatHistogram hl = lh;
      FloatHistogram hr = rh;
      if (swapped) {
        fl = rf;
        fr = lf;
        hl = rh;
        hr = lh;
      }
      // A pair that yields nothing is skipped before the matching checks, as upstream.
      if (!ElementOps.apply(op, fl, hl, fr, hr, ev.ctx.annotations, pos, elem)) {
        return;
      }
      double value = elem.f;
      FloatHistogram hist = elem.h;
      boolean keep = elem.keep;
      if (returnBool) {
        value = keep ? 1.0 : 0.0;
        hist = null;
      }
      Labels metric = resultMetric(lm, rm, cacheKey);
      if (!ev.delayed() && returnBool) {
        metric = LabelOps.dropMetadata(metric);
      }
      matchedAny[sig] = true;
      if (matching.card() == Cardinality.ONE_TO_ONE) {
        if (matchedOne[sig]) {
          throw ev.error("multiple matches for labels: many-to-one matching must be explicit "
              + "(group_left/group_right)");
        }
        matchedOne[sig] = true;
      } else {
        Set<Labels> inserted = matched.computeIfAbsent(sig, x -> new HashSet<>());
        if (!inserted.add(metric)) {
          throw ev.error("multiple matches for labels: grouping labels must ensure unique "
              + "matches");
        }
      }
      if (!keep && !returnBool) {
        return;
      }
      out.add(metric, value, hist, returnBool, 0, -1);
    }

    private Labels matchLabels(Labels ls) {
      List<String> names = matching.matchingLabels();
      if (matching.on()) {
        return LabelOps.keep(ls, names);
      }
      return LabelOps.without(ls, names, true);
    }

    private Labels resultMetric(Labels l, Labels r, long pair) {
      // The pair of series indexes, scrambled (bijectively): Long.hashCode of the plain pair is
      // left ^ right, which collides for every one-to-one pairing i <-> i.
      long key = pair * 0x9E3779B97F4A7C15L;
      if (pair >= 0) {
        Labels cached = resultMetric.get(key);
        if (cached != null) {
          return cached;
        }
      }
      LabelsBuilder b = l.toBuilder();
      if (changesMetricSchema(op)) {
        b.delete(LabelOps.NAME).delete(LabelOps.TYPE).delete(LabelOps.UNIT);
      }
      if (matching.card() == Cardinality.ONE_TO_ONE) {
        if (matching.on()) {
          Set<String> keep = new HashSet<>(matching.matchingLabels());
          for (int i = 0; i < l.size(); i++) {
            if (!keep.contains(l.name(i))) {
              b.delete(l.name(i));
            }
          }
        } else {
          for (String n : matching.matchingLabels()) {
            b.delete(n);
          }
        }
      }
      for (String n : matching.include()) {
        String v = r.get(n);
        if (!v.isEmpty()) {
          b.set(n, v);
        } else {
          b.delete(n);
        }
      }
      Labels res = b.build();
      if (pair >= 0) {
        resultMetric.put(key, res);
      }
      return res;
    }
  }
}
