package dev.tsdb.promql.engine;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramArithmetic;
import dev.tsdb.index.histogram.HistogramCombination;
import dev.tsdb.index.histogram.HistogramLayout;
import dev.tsdb.index.histogram.HistogramTrim;
import dev.tsdb.index.histogram.IncompatibleHistogramsException;
import dev.tsdb.promql.ast.BinaryOp;
import dev.tsdb.promql.ast.PosRange;

/**
 * One binary operation between two vector elements, floats or native histograms. Two floats
 * combine as {@link BinaryOps#elemValue} and {@link BinaryOps#elemKeep} say. With a histogram on
 * either side, Prometheus 3.14's outcomes apply: histograms add to and subtract from histograms, scale by a
 * float ({@code h * f}, {@code f * h}, {@code h / f}), are trimmed at a float ({@code h </ f},
 * {@code h >/ f}) and compare for (in)equality with histograms; every other pairing (floats
 * included for the trims) yields nothing and an "incompatible sample types" info.
 * Combining exponential with custom buckets yields nothing and a warning, and so does a counter
 * reset collision (Prometheus drops the element when the operation reports a warning).
 */
final class ElementOps {
  /** The outcome of one operation; reused from call to call by its owner. */
  static final class Result {
    double f;
    FloatHistogram h;
    /** The comparison held (always true for arithmetic). */
    boolean keep;
  }

  private ElementOps() {}

  /**
   * Computes {@code (lf|lh) op (rf|rh)} into {@code out}, where a non-null histogram stands for
   * its side. Returns false when the pair gives no element at all, not even under {@code bool}.
   */
  static boolean apply(BinaryOp op, double lf, FloatHistogram lh, double rf, FloatHistogram rh,
      Annotations annotations, PosRange pos, Result out) {
    out.h = null;
    if (lh == null && rh == null) {
      if (isTrim(op)) {
        return incompatible(annotations, "float", op, "float", pos);
      }
      out.f = BinaryOps.elemValue(op, lf, rf);
      out.keep = BinaryOps.elemKeep(op, lf, rf);
      return true;
    }
    out.f = 0;
    out.keep = true;
    if (lh == null) {
      if (op == BinaryOp.MUL) {
        out.h = HistogramLayout.compact(HistogramArithmetic.mul(rh, lf));
        return true;
      }
      return incompatible(annotations, "float", op, "histogram", pos);
    }
    if (rh == null) {
      switch (op) {
        case MUL -> out.h = HistogramLayout.compact(HistogramArithmetic.mul(lh, rf));
        case DIV -> out.h = HistogramLayout.compact(HistogramArithmetic.div(lh, rf));
        case TRIM_UPPER -> out.h = HistogramTrim.below(lh, rf);
        case TRIM_LOWER -> out.h = HistogramTrim.above(lh, rf);
        default -> {
          return incompatible(annotations, "histogram", op, "float", pos);
        }
      }
      return true;
    }
    switch (op) {
      case ADD, SUB -> {
        return combine(op, lh, rh, annotations, pos, out);
      }
      case EQLC, NEQ -> {
        // Equality of the populated buckets: Prometheus compares compacted histograms.
        out.h = lh;
        out.keep = HistogramLayout.equalsCompacted(lh, rh) == (op == BinaryOp.EQLC);
        return true;
      }
      default -> {
        return incompatible(annotations, "histogram", op, "histogram", pos);
      }
    }
  }

  private static boolean combine(BinaryOp op, FloatHistogram lh, FloatHistogram rh,
      Annotations annotations, PosRange pos, Result out) {
    boolean add = op == BinaryOp.ADD;
    HistogramCombination c;
    try {
      c = add ? HistogramCombination.add(lh, rh) : HistogramCombination.sub(lh, rh);
    } catch (IncompatibleHistogramsException e) {
      HistogramAnnotations.incompatibleBucketLayout(annotations, op.symbol(), pos);
      return false;
    }
    HistogramAnnotations.Operation operation = add ? HistogramAnnotations.Operation.ADDITION
        : HistogramAnnotations.Operation.SUBTRACTION;
    if (c.counterResetCollision) {
      // Prometheus reports only the warning then, not the reconciliation.
      HistogramAnnotations.counterResetCollision(annotations, operation, pos);
      return false;
    }
    if (c.customBoundsReconciled) {
      HistogramAnnotations.mismatchedCustomBuckets(annotations, operation, pos);
    }
    out.h = c.histogram;
    if (!add) {
      // A difference of histograms is a gauge whatever the inputs were.
      out.h.counterResetHint = CounterResetHint.GAUGE;
    }
    return true;
  }

  private static boolean isTrim(BinaryOp op) {
    return op == BinaryOp.TRIM_UPPER || op == BinaryOp.TRIM_LOWER;
  }

  private static boolean incompatible(Annotations annotations, String lhsType, BinaryOp op,
      String rhsType, PosRange pos) {
    HistogramAnnotations.incompatibleTypes(annotations, lhsType, op.symbol(), rhsType, pos);
    return false;
  }
}
