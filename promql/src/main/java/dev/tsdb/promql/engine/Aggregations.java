package dev.tsdb.promql.engine;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramStrings;
import dev.tsdb.index.histogram.IncompatibleHistogramsException;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.XxHash64;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AggregateOp;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.PosRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Aggregation operators. Input series are mapped to their output group once; then every step
 * folds the points of that step into per-group accumulators held in primitive arrays.
 */
final class Aggregations {
  private Aggregations() {}

  static final long MAX_INT64_FLOAT = 9223372036854774784L;

  /** Whether {@link SeriesMajor} may be used; off only to compare both paths in tests. */
  static boolean seriesMajor = true;

  static List<EvalSeries> eval(Evaluator ev, AggregateExpr e) {
    List<String> grouping = new ArrayList<>(new TreeSet<>(e.grouping()));
    if (e.op() == AggregateOp.COUNT_VALUES) {
      return countValues(ev, e, grouping);
    }
    long originalSamples = ev.currentSamples;
    Params params = Params.of(ev, e.param());
    List<EvalSeries> input = ev.evalMatrix(e.expr());
    List<EvalSeries> result = rangeEvalAgg(ev, e, grouping, input, params);
    ev.currentSamples = originalSamples + Evaluator.totalSamples(result);
    return result;
  }

  /** The aggregation parameter (k, q, ratio) per step. */
  static final class Params {
    double[] values;
    boolean constant;
    double constValue;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    boolean anyNaN;

    static Params of(Evaluator ev, Expr param) {
      Params p = new Params();
      if (param == null) {
        p.constant = true;
        p.constValue = Double.NaN;
        return p;
      }
      Expr x = Functions.unwrap(param);
      if (x instanceof NumberLiteral n) {
        p.constant = true;
        p.constValue = n.value();
        p.observe(n.value());
        return p;
      }
      if (param.type() == dev.tsdb.promql.ast.ExprType.STRING) {
        p.constant = true;
        p.constValue = Double.NaN;
        return p;
      }
      p.values = ev.scalarValues(param);
      for (double v : p.values) {
        p.observe(v);
      }
      return p;
    }

    /** Go's math.Min/Max fold: any NaN makes both NaN. */
    private void observe(double v) {
      if (Double.isNaN(v)) {
        anyNaN = true;
      }
      min = Math.min(min, v);
      max = Math.max(max, v);
    }

    double at(int step) {
      return constant ? constValue : values[step];
    }
  }

  private static Labels groupingKey(Labels m, List<String> grouping, boolean without) {
    if (without) {
      return LabelOps.without(m, grouping, true);
    }
    if (grouping.isEmpty()) {
      return Labels.EMPTY;
    }
    return LabelOps.keep(m, grouping);
  }

  static List<EvalSeries> rangeEvalAgg(Evaluator ev, AggregateExpr e, List<String> grouping,
      List<EvalSeries> input, Params params) {
    AggregateOp op = e.op();
    boolean kOp = op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK
        || op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO;
    int n = input.size();
    int[] seriesToGroup = new int[n];
    Map<Labels, Integer> groupIndex = new HashMap<>();
    List<EvalSeries> result = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Labels key = groupingKey(input.get(i).metric, grouping, e.without());
      Integer g = groupIndex.get(key);
      if (g == null) {
        g = groupIndex.size();
        groupIndex.put(key, g);
        if (!kOp) {
          result.add(new EvalSeries(key, 4));
        }
      }
      seriesToGroup[i] = g;
    }
    int groups = groupIndex.size();
    Annotations annos = ev.ctx.annotations;

    if (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK || op == AggregateOp.LIMITK) {
      if (params.max < 1) {
        return new ArrayList<>();
      }
      if (params.anyNaN) {
        throw ev.error("Parameter value is NaN");
      }
      if (params.min <= -9.223372036854775808E18) {
        throw ev.error("Scalar value " + GoFloat.formatG(params.min) + " underflows int64");
      }
      if (params.max >= MAX_INT64_FLOAT) {
        throw ev.error("Scalar value " + GoFloat.formatG(params.max) + " overflows int64");
      }
    } else if (op == AggregateOp.LIMIT_RATIO) {
      if (params.max == 0 && params.min == 0) {
        return new ArrayList<>();
      }
      if (params.anyNaN) {
        throw ev.error("Ratio value is NaN");
      }
      if (params.max > 1.0) {
        annos.warn("ratio value should be between -1 and 1, got " + GoFloat.formatG(params.max)
            + ", capping to 1", e.param().pos());
      }
      if (params.min < -1.0) {
        annos.warn("ratio value should be between -1 and 1, got " + GoFloat.formatG(params.min)
            + ", capping to -1", e.param().pos());
      }
    } else if (op == AggregateOp.QUANTILE) {
      if (params.anyNaN) {
        annos.warn("quantile value should be between 0 and 1, got NaN", e.param().pos());
      }
      if (params.max > 1) {
        annos.warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(params.max),
            e.param().pos());
      }
      if (params.min < 0) {
        annos.warn("quantile value should be between 0 and 1, got " + GoFloat.formatG(params.min),
            e.param().pos());
      }
    }

    int[] cursor = new int[n];
    if (kOp) {
      return aggregateK(ev, e, input, seriesToGroup, groups, params, cursor);
    }
    if (seriesMajor && SeriesMajor.handles(op)
        && (long) groups * ev.numSteps() <= SeriesMajor.MAX_CELLS && !anyHistograms(input)) {
      return SeriesMajor.aggregate(ev, op, input, seriesToGroup, groups, result);
    }

    // Per-group accumulators.
    double[] value = new double[groups];
    double[] mean = new double[groups];
    double[] kahanC = new double[groups];
    double[] count = new double[groups];
    boolean[] seen = new boolean[groups];
    boolean[] incremental = new boolean[groups];
    boolean[] dropName = new boolean[groups];
    double[][] heap = op == AggregateOp.QUANTILE ? new double[groups][] : null;
    int[] heapN = op == AggregateOp.QUANTILE ? new int[groups] : null;
    // sum and avg over histograms: which kinds each group met, and the histogram side.
    boolean sumOrAvg = op == AggregateOp.SUM || op == AggregateOp.AVG;
    boolean[] hasFloat = sumOrAvg ? new boolean[groups] : null;
    boolean[] hasHistogram = sumOrAvg ? new boolean[groups] : null;
    HistogramAccumulator[] hists = sumOrAvg ? new HistogramAccumulator[groups] : null;
    PosRange innerPos = e.expr().pos();
    double[] c1 = new double[1];
    long tempSamples = ev.currentSamples;
    int step = 0;
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval, step++) {
      ev.ctx.checkDone(Evaluator.ENV);
      ev.currentSamples = tempSamples;
      double q = params.at(step);
      Arrays.fill(seen, false);
      for (int si = 0; si < n; si++) {
        EvalSeries s = input.get(si);
        int c = cursor[si];
        if (c >= s.n || s.ts[c] != ts) {
          continue;
        }
        cursor[si] = c + 1;
        double f = s.vs[c];
        FloatHistogram h = s.hs == null ? null : s.hs[c];
        int g = seriesToGroup[si];
        if (!seen[g]) {
          if (h != null && !countsHistograms(op)) {
            HistogramAnnotations.ignoredInAggregation(annos, op.keyword(), innerPos);
            continue; // the group starts with its first float
          }
          seen[g] = true;
          if (sumOrAvg) {
            hasFloat[g] = h == null;
            hasHistogram[g] = h != null;
            hists[g] = h == null ? null : new HistogramAccumulator(h);
          }
          value[g] = f;
          mean[g] = f;
          kahanC[g] = 0;
          count[g] = 1;
          incremental[g] = false;
          dropName[g] = s.dropName;
          switch (op) {
            case STDVAR, STDDEV -> value[g] = (Double.isNaN(f) || Double.isInfinite(f))
                ? Double.NaN : 0;
            case QUANTILE -> {
              if (heap[g] == null) {
                heap[g] = new double[8];
              }
              heap[g][0] = f;
              heapN[g] = 1;
            }
            case GROUP -> value[g] = 1;
            default -> { }
          }
          continue;
        }
        if (sumOrAvg && hists[g] != null && hists[g].incompatible) {
          continue;
        }
        if (s.dropName) {
          dropName[g] = true;
        }
        if (h != null) {
          switch (op) {
            case SUM, AVG -> {
              if (op == AggregateOp.AVG) {
                count[g]++;
              }
              hasHistogram[g] = true;
              addHistogram(hists[g], h, op, count[g], s.metric, annos, innerPos);
            }
            case COUNT -> count[g]++;
            case GROUP -> { }
            default -> HistogramAnnotations.ignoredInAggregation(annos, op.keyword(), innerPos);
          }
          continue;
        }
        if (sumOrAvg) {
          hasFloat[g] = true;
        }
        switch (op) {
          case SUM -> {
            c1[0] = kahanC[g];
            value[g] = RangeFunctions.kahanInc(f, value[g], c1);
            kahanC[g] = c1[0];
          }
          case AVG -> {
            count[g]++;
            if (!incremental[g]) {
              c1[0] = kahanC[g];
              double newV = RangeFunctions.kahanInc(f, value[g], c1);
              if (!Double.isInfinite(newV)) {
                value[g] = newV;
                kahanC[g] = c1[0];
                break;
              }
              incremental[g] = true;
              mean[g] = value[g] / (count[g] - 1);
              kahanC[g] /= count[g] - 1;
            }
            double qq = (count[g] - 1) / count[g];
            c1[0] = qq * kahanC[g];
            mean[g] = RangeFunctions.kahanInc(f / count[g], qq * mean[g], c1);
            kahanC[g] = c1[0];
          }
          case GROUP -> { }
          case MAX -> {
            if (value[g] < f || Double.isNaN(value[g])) {
              value[g] = f;
            }
          }
          case MIN -> {
            if (value[g] > f || Double.isNaN(value[g])) {
              value[g] = f;
            }
          }
          case COUNT -> count[g]++;
          case STDVAR, STDDEV -> {
            count[g]++;
            double delta = f - mean[g];
            mean[g] += delta / count[g];
            value[g] += delta * (f - mean[g]);
          }
          case QUANTILE -> {
            if (heapN[g] == heap[g].length) {
              heap[g] = Arrays.copyOf(heap[g], heapN[g] * 2);
            }
            heap[g][heapN[g]++] = f;
          }
          default -> throw ev.error("expected aggregation operator but got " + op.keyword());
        }
      }
      for (int g = 0; g < groups; g++) {
        if (!seen[g]) {
          continue;
        }
        if (sumOrAvg && hasHistogram[g]) {
          FloatHistogram hv = histogramResult(hasFloat[g], hists[g], op, count[g], annos,
              innerPos);
          if (hv != null) {
            EvalSeries out = result.get(g);
            out.addHistogram(ts, hv);
            out.dropName = dropName[g];
          }
          continue;
        }
        double v;
        switch (op) {
          case AVG -> v = incremental[g] ? mean[g] + kahanC[g]
              : value[g] / count[g] + kahanC[g] / count[g];
          case COUNT -> v = count[g];
          case STDVAR -> v = value[g] / count[g];
          case STDDEV -> v = Math.sqrt(value[g] / count[g]);
          case QUANTILE -> v = Quantiles.quantile(q, heap[g], heapN[g]);
          case SUM -> v = value[g] + kahanC[g];
          default -> v = value[g];
        }
        EvalSeries out = result.get(g);
        out.add(ts, v);
        out.dropName = dropName[g];
      }
      ev.currentSamples += groups;
      ev.ctx.samples.holding(ev.currentSamples);
      if (ev.currentSamples > ev.ctx.maxSamples) {
        throw QueryContext.tooManySamples();
      }
    }
    List<EvalSeries> nonEmpty = new ArrayList<>(result.size());
    for (EvalSeries s : result) {
      if (s.n > 0) {
        nonEmpty.add(s);
      }
    }
    return nonEmpty;
  }

  private static boolean anyHistograms(List<EvalSeries> input) {
    for (EvalSeries s : input) {
      if (s.hasHistograms()) {
        return true;
      }
    }
    return false;
  }

  /** The aggregations that take histograms into account; the others ignore them. */
  private static boolean countsHistograms(AggregateOp op) {
    return switch (op) {
      case SUM, AVG, COUNT, GROUP -> true;
      default -> false;
    };
  }

  /**
   * Adds a histogram to a sum or avg group. A group that started with a float has no histogram
   * side: it has no result anyway (mixed kinds), so nothing is summed.
   */
  private static void addHistogram(HistogramAccumulator acc, FloatHistogram h, AggregateOp op,
      double count, Labels metric, Annotations annos, PosRange pos) {
    if (acc == null) {
      return;
    }
    try {
      boolean reconciled = op == AggregateOp.SUM ? acc.addToSum(h) : acc.addToMean(h, count);
      if (reconciled) {
        HistogramAnnotations.mismatchedCustomBuckets(annos,
            HistogramAnnotations.Operation.AGGREGATION, pos);
      }
    } catch (IncompatibleHistogramsException ex) {
      HistogramAnnotations.mixedExponentialCustom(annos, metric.get(Labels.METRIC_NAME), pos);
      acc.incompatible = true;
    }
  }

  /** A sum or avg group's histogram result, or null (with the warning) when it has none. */
  private static FloatHistogram histogramResult(boolean hasFloat, HistogramAccumulator acc,
      AggregateOp op, double count, Annotations annos, PosRange pos) {
    if (hasFloat) {
      HistogramAnnotations.mixedFloatsHistogramsAggregation(annos, pos);
      return null;
    }
    if (acc.incompatible) {
      return null;
    }
    FloatHistogram r = op == AggregateOp.SUM ? acc.sum() : acc.mean(count);
    if (acc.counterResetCollision()) {
      HistogramAnnotations.counterResetCollision(annos,
          HistogramAnnotations.Operation.AGGREGATION, pos);
    }
    return r;
  }

  // ---------------------------------------------------------------------------------------------
  // topk, bottomk, limitk, limit_ratio

  /** A heap of input-series indexes ordered like Prometheus's vectorByValueHeap. */
  private static final class Heap {
    int[] idx = new int[4];
    double[] val = new double[4];
    int n;
    final boolean reverse; // bottomk uses the reverse heap

    Heap(boolean reverse) {
      this.reverse = reverse;
    }

    boolean less(int i, int j) {
      double vi = val[i];
      double vj = val[j];
      if (Double.isNaN(vi)) {
        return true;
      }
      return reverse ? vi > vj : vi < vj;
    }

    void swap(int i, int j) {
      int ti = idx[i];
      idx[i] = idx[j];
      idx[j] = ti;
      double tv = val[i];
      val[i] = val[j];
      val[j] = tv;
    }

    void push(int series, double v) {
      if (n == idx.length) {
        idx = Arrays.copyOf(idx, n * 2);
        val = Arrays.copyOf(val, n * 2);
      }
      idx[n] = series;
      val[n] = v;
      n++;
      up(n - 1);
    }

    void up(int j) {
      while (true) {
        int i = (j - 1) / 2;
        if (i == j || j <= 0 || !less(j, i)) {
          break;
        }
        swap(i, j);
        j = i;
      }
    }

    boolean down(int i0, int len) {
      int i = i0;
      while (true) {
        int j1 = 2 * i + 1;
        if (j1 >= len || j1 < 0) {
          break;
        }
        int j = j1;
        int j2 = j1 + 1;
        if (j2 < len && less(j2, j1)) {
          j = j2;
        }
        if (!less(j, i)) {
          break;
        }
        swap(i, j);
        i = j;
      }
      return i > i0;
    }

    void fix(int i) {
      if (!down(i, n)) {
        up(i);
      }
    }

    /** Sorts descending by this heap's order (Go: sort.Sort(sort.Reverse(heap))). */
    void sortReverse() {
      // Insertion sort for small inputs, like Go's pdqsort does; stable otherwise.
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      if (n <= 12) {
        for (int i = 1; i < n; i++) {
          for (int j = i; j > 0 && less(order[j - 1], order[j]); j--) {
            Integer t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
          }
        }
      } else {
        Arrays.sort(order, (a, b) -> less(b, a) ? -1 : (less(a, b) ? 1 : 0));
      }
      int[] ni = new int[n];
      double[] nv = new double[n];
      for (int i = 0; i < n; i++) {
        ni[i] = idx[order[i]];
        nv[i] = val[order[i]];
      }
      System.arraycopy(ni, 0, idx, 0, n);
      System.arraycopy(nv, 0, val, 0, n);
    }
  }

  private static List<EvalSeries> aggregateK(Evaluator ev, AggregateExpr e,
      List<EvalSeries> input, int[] seriesToGroup, int groups, Params params, int[] cursor) {
    AggregateOp op = e.op();
    int n = input.size();
    boolean instant = ev.start == ev.end;
    Map<Labels, EvalSeries> seriess = new LinkedHashMap<>();
    Annotations annos = ev.ctx.annotations;
    List<EvalSeries> mat = new ArrayList<>();
    Heap[] heaps = new Heap[groups];
    boolean[] seen = new boolean[groups];
    boolean[] complete = new boolean[groups];
    long tempSamples = ev.currentSamples;
    int step = 0;
    for (long ts = ev.start; ts <= ev.end; ts += ev.interval, step++) {
      ev.ctx.checkDone(Evaluator.ENV);
      ev.currentSamples = tempSamples;
      double fParam = params.at(step);
      Arrays.fill(seen, false);
      Arrays.fill(complete, false);
      int groupsRemaining = groups;
      long k = 0;
      double r = 0;
      boolean emptyStep = false; // k < 1 or ratio 0 at this step: no output
      boolean done = false; // every limitk group is full: skip the rest
      for (int si = 0; si < n; si++) {
        EvalSeries s = input.get(si);
        int c = cursor[si];
        if (c >= s.n || s.ts[c] != ts) {
          continue;
        }
        cursor[si] = c + 1;
        if (emptyStep || done) {
          continue; // only consume the remaining series' points of this step
        }
        double f = s.vs[c];
        if (op == AggregateOp.LIMIT_RATIO) {
          if (fParam == 0) {
            emptyStep = true;
            continue;
          }
          r = fParam < -1.0 ? -1.0 : (fParam > 1.0 ? 1.0 : fParam);
        } else {
          k = Math.min((long) fParam, n);
          if (k < 1) {
            emptyStep = true;
            continue;
          }
        }
        int g = seriesToGroup[si];
        if (s.h(c) != null && (op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK)) {
          HistogramAnnotations.ignoredInAggregation(annos, op.keyword(), e.pos());
          continue;
        }
        if (!seen[g]) {
          seen[g] = true;
          heaps[g] = new Heap(op == AggregateOp.BOTTOMK);
          if (op == AggregateOp.LIMIT_RATIO) {
            if (addRatioSample(r, s.metric)) {
              heaps[g].push(si, f);
            }
          } else if (op == AggregateOp.LIMITK) {
            heaps[g].idx[0] = si;
            heaps[g].val[0] = f;
            heaps[g].n = 1;
          } else {
            heaps[g].push(si, f);
          }
          continue;
        }
        Heap h = heaps[g];
        switch (op) {
          case TOPK -> {
            if (h.n < k) {
              h.push(si, f);
            } else if (h.val[0] < f || (Double.isNaN(h.val[0]) && !Double.isNaN(f))) {
              h.idx[0] = si;
              h.val[0] = f;
              if (k > 1) {
                h.fix(0);
              }
            }
          }
          case BOTTOMK -> {
            if (h.n < k) {
              h.push(si, f);
            } else if (h.val[0] > f || (Double.isNaN(h.val[0]) && !Double.isNaN(f))) {
              h.idx[0] = si;
              h.val[0] = f;
              if (k > 1) {
                h.fix(0);
              }
            }
          }
          case LIMITK -> {
            if (h.n < k) {
              h.push(si, f);
            }
            if (!complete[g] && h.n == k) {
              complete[g] = true;
              groupsRemaining--;
              if (groupsRemaining == 0) {
                done = true;
              }
            }
          }
          case LIMIT_RATIO -> {
            if (addRatioSample(r, s.metric)) {
              h.push(si, f);
            }
          }
          default -> throw ev.error("expected aggregation operator but got " + op.keyword());
        }
      }
      if (emptyStep) {
        if (instant) {
          return new ArrayList<>();
        }
        continue;
      }
      for (int g = 0; g < groups; g++) {
        if (!seen[g]) {
          continue;
        }
        Heap h = heaps[g];
        if ((op == AggregateOp.TOPK || op == AggregateOp.BOTTOMK) && h.n > 1) {
          h.sortReverse();
        }
        for (int i = 0; i < h.n; i++) {
          EvalSeries src = input.get(h.idx[i]);
          double v = h.val[i];
          // limitk and limit_ratio keep histograms; the point is the one read at this step.
          FloatHistogram hv = src.h(cursor[h.idx[i]] - 1);
          if (instant) {
            EvalSeries o = new EvalSeries(src.metric, 1);
            o.add(ts, v, hv);
            o.dropName = src.dropName;
            mat.add(o);
          } else {
            EvalSeries o = seriess.get(src.metric);
            if (o == null) {
              o = new EvalSeries(src.metric, 4);
              o.dropName = src.dropName;
              seriess.put(src.metric, o);
            }
            o.add(ts, v, hv);
          }
          ev.addSamples(1);
        }
      }
      if (instant) {
        return mat;
      }
    }
    return new ArrayList<>(seriess.values());
  }

  /** Prometheus's HashRatioSampler: a deterministic offset in [0,1) from the labels' hash. */
  static boolean addRatioSample(double ratioLimit, Labels metric) {
    double offset = GoNumbers.uint64ToFloat64(XxHash64.labelsHash(metric)) / 18446744073709551615.0;
    return (ratioLimit >= 0 && offset < ratioLimit)
        || (ratioLimit < 0 && offset >= (1.0 + ratioLimit));
  }

  // ---------------------------------------------------------------------------------------------
  // count_values

  private static List<EvalSeries> countValues(Evaluator ev, AggregateExpr e,
      List<String> grouping) {
    String valueLabel = Functions.stringArg(e.param());
    if (!LabelOps.isValidLabelName(valueLabel)) {
      throw ev.error("invalid label name " + GoStrings.quote(valueLabel));
    }
    List<String> sortedGrouping = new ArrayList<>(grouping);
    if (!e.without()) {
      sortedGrouping.add(valueLabel);
      sortedGrouping = new ArrayList<>(new TreeSet<>(sortedGrouping));
    }
    List<String> g = sortedGrouping;
    return ev.rangeEval((in, out, ts) -> {
      StepVector v = in[0];
      Map<Labels, int[]> counts = new LinkedHashMap<>();
      for (int i = 0; i < v.n; i++) {
        String text = v.h[i] == null ? GoFloat.formatF(v.f[i]) : HistogramStrings.of(v.h[i]);
        Labels m = LabelOps.with(v.metric[i], valueLabel, text);
        Labels key = groupingKey(m, g, e.without());
        int[] c = counts.get(key);
        if (c == null) {
          counts.put(key, new int[] {1});
        } else {
          c[0]++;
        }
      }
      for (Map.Entry<Labels, int[]> en : counts.entrySet()) {
        out.add(en.getKey(), en.getValue()[0], false);
      }
    }, e.expr());
  }
}
