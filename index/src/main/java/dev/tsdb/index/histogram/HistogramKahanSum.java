package dev.tsdb.index.histogram;

import dev.tsdb.gocompat.KahanSum;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A running sum of float histograms with a Kahan-Babuska-Neumaier compensation term for every
 * field (zero count, count, sum, each bucket), as PromQL's sum and avg over histograms keep it
 * (Prometheus's FloatHistogram.KahanAdd): adding 1e100, 3.1 and -1e100 gives 3.1 back, where
 * plain {@link HistogramArithmetic#add} would give 0.
 *
 * <p>Layouts are reconciled as in {@link HistogramArithmetic#add}: the finer schema is reduced to
 * the coarser one (compensations merged with their buckets), the narrower zero bucket widened.
 * Custom-bucket histograms with different bounds are reconciled to the bounds both have (every
 * bucket counted in the first common bound at or above its own); {@link #add} then says so.
 *
 * <p>Mutable: it is an accumulator. {@link #result()} returns a new, compacted histogram.
 */
public final class HistogramKahanSum {
  /** One bucket: its running count and that count's compensation. */
  private static final class Cell {
    double value;
    double comp;

    Cell(double value, double comp) {
      this.value = value;
      this.comp = comp;
    }

    void add(double v, double c) {
      double[] cc = {comp};
      value = KahanSum.inc(v, value, cc);
      comp = cc[0];
      if (c != 0) {
        value = KahanSum.inc(c, value, cc);
        comp = cc[0];
      }
    }
  }

  private CounterResetHint hint;
  private int schema;
  private double zeroThreshold;
  private final Cell zero;
  private final Cell count;
  private final Cell sum;
  private TreeMap<Integer, Cell> positive;
  private TreeMap<Integer, Cell> negative;
  private double[] customValues;

  private HistogramKahanSum(FloatHistogram h) {
    hint = h.counterResetHint;
    schema = h.schema;
    zeroThreshold = h.zeroThreshold;
    zero = new Cell(h.zeroCount, 0);
    count = new Cell(h.count, 0);
    sum = new Cell(h.sum, 0);
    positive = cells(h.positiveSpans, h.positiveBuckets);
    negative = cells(h.negativeSpans, h.negativeBuckets);
    customValues = h.customValues;
  }

  /** A sum that starts at {@code first} (which is not kept). */
  public static HistogramKahanSum of(FloatHistogram first) {
    return new HistogramKahanSum(first);
  }

  /** An independent copy of this sum. */
  public HistogramKahanSum copy() {
    HistogramKahanSum c = new HistogramKahanSum(new FloatHistogram());
    c.hint = hint;
    c.schema = schema;
    c.zeroThreshold = zeroThreshold;
    c.zero.value = zero.value;
    c.zero.comp = zero.comp;
    c.count.value = count.value;
    c.count.comp = count.comp;
    c.sum.value = sum.value;
    c.sum.comp = sum.comp;
    c.positive = copyCells(positive);
    c.negative = copyCells(negative);
    c.customValues = customValues;
    return c;
  }

  /**
   * Adds {@code h} (left alone). The counter reset hints combine as
   * {@link HistogramArithmetic#sumHint} says.
   *
   * @return whether custom bucket bounds differed and were reconciled
   * @throws IncompatibleHistogramsException when one side has custom buckets and the other not
   */
  public boolean add(FloatHistogram h) {
    if (usesCustomBuckets() != h.usesCustomBuckets()) {
      FloatHistogram self = new FloatHistogram();
      self.schema = schema;
      IncompatibleHistogramsException.check(self, h); // throws: the schemas' kinds differ
    }
    hint = HistogramArithmetic.sumHint(hint, h.counterResetHint);
    if (!usesCustomBuckets()) {
      addZeroBucket(h);
    }
    count.add(h.count, 0);
    sum.add(h.sum, 0);
    TreeMap<Integer, Cell> otherPositive = cells(h.positiveSpans, h.positiveBuckets);
    if (usesCustomBuckets()) {
      if (HistogramLayout.sameBounds(customValues, h.customValues)) {
        addCells(positive, otherPositive, false);
        return false;
      }
      double[] common = HistogramCombination.commonBounds(customValues, h.customValues);
      TreeMap<Integer, Cell> mapped = new TreeMap<>();
      remap(positive, customValues, common, mapped);
      remap(otherPositive, h.customValues, common, mapped);
      mapped.values().removeIf(c -> c.value == 0 && c.comp == 0);
      positive = mapped;
      customValues = common;
      return true;
    }
    TreeMap<Integer, Cell> otherNegative = cells(h.negativeSpans, h.negativeBuckets);
    int target = Math.min(schema, h.schema);
    positive = reduce(positive, schema, target);
    negative = reduce(negative, schema, target);
    otherPositive = reduce(otherPositive, h.schema, target);
    otherNegative = reduce(otherNegative, h.schema, target);
    schema = target;
    addCells(positive, otherPositive, true);
    addCells(negative, otherNegative, true);
    return false;
  }

  /** Multiplies the sum and its compensation by {@code factor} (for an incremental mean). */
  public void mul(double factor) {
    for (Cell c : allCells()) {
      c.value *= factor;
      c.comp *= factor;
    }
  }

  /** Divides the sum and its compensation by {@code divisor} (not 0). */
  public void div(double divisor) {
    for (Cell c : allCells()) {
      c.value /= divisor;
      c.comp /= divisor;
    }
  }

  /** Whether a count, the zero count or the sum has overflowed to an infinity. */
  public boolean hasOverflow() {
    for (Cell c : allCells()) {
      if (Double.isInfinite(c.value)) {
        return true;
      }
    }
    return false;
  }

  public boolean usesCustomBuckets() {
    return schema == Histogram.CUSTOM_BUCKETS_SCHEMA;
  }

  /** The compensated sum as a new histogram, empty buckets dropped. */
  public FloatHistogram result() {
    FloatHistogram h = new FloatHistogram();
    h.counterResetHint = hint;
    h.schema = schema;
    h.zeroThreshold = zeroThreshold;
    h.zeroCount = zero.value + zero.comp;
    h.count = count.value + count.comp;
    h.sum = sum.value + sum.comp;
    TreeMap<Integer, Double> pos = totals(positive);
    TreeMap<Integer, Double> neg = totals(negative);
    h.positiveSpans = IndexedHistogram.spans(pos);
    h.positiveBuckets = IndexedHistogram.counts(pos);
    h.negativeSpans = IndexedHistogram.spans(neg);
    h.negativeBuckets = IndexedHistogram.counts(neg);
    h.customValues = customValues.clone();
    return h;
  }

  private List<Cell> allCells() {
    List<Cell> all = new ArrayList<>(positive.size() + negative.size() + 3);
    all.add(zero);
    all.add(count);
    all.add(sum);
    all.addAll(positive.values());
    all.addAll(negative.values());
    return all;
  }

  /** Bucket totals (count plus compensation); zero totals dropped, NaN kept. */
  private static TreeMap<Integer, Double> totals(TreeMap<Integer, Cell> cells) {
    TreeMap<Integer, Double> out = new TreeMap<>();
    for (Map.Entry<Integer, Cell> e : cells.entrySet()) {
      double v = e.getValue().value + e.getValue().comp;
      if (v != 0) {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Zero bucket reconciliation.

  /**
   * Adds {@code h}'s zero count after bringing both zero buckets to one threshold: the narrower
   * is widened, its buckets inside the new zero bucket counted into the zero count.
   */
  private void addZeroBucket(FloatHistogram h) {
    TreeMap<Integer, Cell> otherPositive = null;
    TreeMap<Integer, Cell> otherNegative = null;
    double otherThreshold = h.zeroThreshold;
    Cell otherZero = new Cell(h.zeroCount, 0);
    while (otherThreshold != zeroThreshold) {
      if (zeroThreshold > otherThreshold) {
        if (otherPositive == null) {
          otherPositive = cells(h.positiveSpans, h.positiveBuckets);
          otherNegative = cells(h.negativeSpans, h.negativeBuckets);
        }
        otherZero = new Cell(h.zeroCount, 0);
        otherThreshold = widen(otherZero, otherPositive, otherNegative, h.schema, zeroThreshold,
            false);
      }
      if (otherThreshold > zeroThreshold) {
        zeroThreshold = widen(zero, positive, negative, schema, otherThreshold, true);
      }
    }
    zero.add(otherZero.value, otherZero.comp);
  }

  /**
   * Folds into {@code zeroCell} the buckets a zero bucket up to {@code threshold} would hold;
   * where the threshold cuts through a populated bucket it moves up to that bucket's end (on the
   * negative side that needs the positive side redone). Removes the folded buckets when
   * {@code trim}. Returns the threshold reached.
   */
  private static double widen(Cell zeroCell, TreeMap<Integer, Cell> pos,
      TreeMap<Integer, Cell> neg, int schema, double threshold, boolean trim) {
    double startValue = zeroCell.value;
    double startComp = zeroCell.comp;
    double larger = threshold;
    outer:
    while (true) {
      zeroCell.value = startValue;
      zeroCell.comp = startComp;
      int posEnd = fold(zeroCell, pos, schema, larger);
      double reached = reachedBy(pos, schema, larger, posEnd);
      larger = Math.max(larger, reached);
      int negEnd = fold(zeroCell, neg, schema, larger);
      double negReached = reachedBy(neg, schema, larger, negEnd);
      if (negReached > larger) {
        larger = negReached;
        continue outer;
      }
      if (trim) {
        pos.headMap(posEnd, true).clear();
        neg.headMap(negEnd, true).clear();
      }
      return larger;
    }
  }

  /** Adds to the zero cell every bucket starting below {@code threshold}; the last index taken. */
  private static int fold(Cell zeroCell, TreeMap<Integer, Cell> side, int schema,
      double threshold) {
    int last = Integer.MIN_VALUE;
    for (Map.Entry<Integer, Cell> e : side.entrySet()) {
      int index = e.getKey();
      if (BucketBounds.exponentialUpper(index - 1, schema) >= threshold) {
        break;
      }
      zeroCell.add(e.getValue().value, e.getValue().comp);
      last = index;
      if (BucketBounds.exponentialUpper(index, schema) > threshold) {
        break;
      }
    }
    return last;
  }

  /** The threshold needed when the last folded bucket reaches beyond it and is populated. */
  private static double reachedBy(TreeMap<Integer, Cell> side, int schema, double threshold,
      int last) {
    if (last == Integer.MIN_VALUE) {
      return threshold;
    }
    double upper = BucketBounds.exponentialUpper(last, schema);
    return upper > threshold && side.get(last).value != 0 ? upper : threshold;
  }

  // ---------------------------------------------------------------------------------------------
  // Buckets.

  private static TreeMap<Integer, Cell> cells(int[] spans, double[] buckets) {
    TreeMap<Integer, Cell> m = new TreeMap<>();
    int[] indexes = Buckets.indexes(spans, buckets.length);
    for (int i = 0; i < indexes.length; i++) {
      Cell c = m.get(indexes[i]);
      if (c == null) {
        m.put(indexes[i], new Cell(buckets[i], 0));
      } else {
        c.add(buckets[i], 0);
      }
    }
    return m;
  }

  private static TreeMap<Integer, Cell> copyCells(TreeMap<Integer, Cell> from) {
    TreeMap<Integer, Cell> m = new TreeMap<>();
    for (Map.Entry<Integer, Cell> e : from.entrySet()) {
      m.put(e.getKey(), new Cell(e.getValue().value, e.getValue().comp));
    }
    return m;
  }

  /**
   * Adds {@code from}'s buckets into {@code into}; with {@code skipZeroBucket}, leading
   * exponential buckets inside the zero bucket are skipped (their counts are in the zero count).
   */
  private void addCells(TreeMap<Integer, Cell> into, TreeMap<Integer, Cell> from,
      boolean skipZeroBucket) {
    boolean leading = skipZeroBucket;
    for (Map.Entry<Integer, Cell> e : from.entrySet()) {
      if (leading && BucketBounds.exponentialUpper(e.getKey(), schema) <= zeroThreshold) {
        continue;
      }
      leading = false;
      Cell c = into.get(e.getKey());
      if (c == null) {
        into.put(e.getKey(), new Cell(e.getValue().value, e.getValue().comp));
      } else {
        c.add(e.getValue().value, e.getValue().comp);
      }
    }
  }

  /** The buckets of schema {@code from} merged into those of the coarser schema {@code to}. */
  private static TreeMap<Integer, Cell> reduce(TreeMap<Integer, Cell> cells, int from, int to) {
    if (from == to) {
      return cells;
    }
    TreeMap<Integer, Cell> out = new TreeMap<>();
    for (Map.Entry<Integer, Cell> e : cells.entrySet()) {
      int index = IndexedHistogram.targetIndex(e.getKey(), from, to);
      Cell c = out.get(index);
      if (c == null) {
        out.put(index, new Cell(e.getValue().value, e.getValue().comp));
      } else {
        c.add(e.getValue().value, e.getValue().comp);
      }
    }
    return out;
  }

  /**
   * Adds custom buckets of layout {@code bounds} into {@code into} laid out by {@code common}:
   * each bucket goes to the first common bound at or above its own upper bound (+Inf last).
   */
  private static void remap(TreeMap<Integer, Cell> cells, double[] bounds, double[] common,
      TreeMap<Integer, Cell> into) {
    Iterator<Map.Entry<Integer, Cell>> it = cells.entrySet().iterator();
    int target = 0;
    while (it.hasNext()) {
      Map.Entry<Integer, Cell> e = it.next();
      int index = e.getKey();
      int to = common.length;
      if (index < bounds.length) {
        while (target < common.length && common[target] < bounds[index]) {
          target++;
        }
        to = Math.min(target, common.length);
      }
      Cell c = into.get(to);
      if (c == null) {
        into.put(to, new Cell(e.getValue().value, e.getValue().comp));
      } else {
        c.add(e.getValue().value, e.getValue().comp);
      }
    }
  }
}
