package dev.tsdb.index.histogram;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counter reset detection between two consecutive float histograms of a series, as Prometheus
 * 3.5's FloatHistogram.DetectReset: what rate(), increase() and resets() rely on.
 */
public final class CounterResets {
  private CounterResets() {}

  /**
   * Whether a counter reset happened between {@code previous} and {@code current}. The hint of
   * {@code current} decides when it says reset or not-reset; otherwise (unknown, or a gauge
   * treated as a counter) it is a reset when:
   * <ul>
   *   <li>the count went down;
   *   <li>the bucket kind changed (custom vs exponential) or the custom bounds changed;
   *   <li>the schema went up or the zero threshold went down (a finer layout only comes with a
   *       restart);
   *   <li>the wider zero threshold of {@code current} cuts through a populated bucket of
   *       {@code previous}, or {@code previous}'s buckets inside it add up to more than the
   *       current zero count;
   *   <li>any bucket of {@code previous} (merged to the current schema, those inside the zero
   *       bucket left out) has a higher count than the same bucket of {@code current}, or is
   *       populated and missing there.
   * </ul>
   * The sum is not looked at: observations of negative values make it go down legitimately.
   */
  public static boolean detect(FloatHistogram previous, FloatHistogram current) {
    if (current.counterResetHint == CounterResetHint.COUNTER_RESET) {
      return true;
    }
    if (current.counterResetHint == CounterResetHint.NOT_COUNTER_RESET) {
      return false;
    }
    if (current.count < previous.count) {
      return true;
    }
    if (current.usesCustomBuckets() != previous.usesCustomBuckets()) {
      return true;
    }
    if (current.usesCustomBuckets()
        && !HistogramLayout.sameBounds(current.customValues, previous.customValues)) {
      return decreasedOnCommonBounds(previous, current);
    }
    if (current.schema > previous.schema || current.zeroThreshold < previous.zeroThreshold) {
      return true;
    }
    IndexedHistogram prev = new IndexedHistogram(previous);
    double[] widened = prev.zeroCountForLargerThreshold(current.zeroThreshold);
    if (widened[1] != current.zeroThreshold) {
      return true;
    }
    if (current.zeroCount < widened[0]) {
      return true;
    }
    IndexedHistogram curr = new IndexedHistogram(current);
    prev.reduceTo(curr.schema);
    return bucketDecreased(curr, prev.positive, curr.positive)
        || bucketDecreased(curr, prev.negative, curr.negative);
  }

  private static boolean bucketDecreased(IndexedHistogram layout, TreeMap<Integer, Double> prev,
      TreeMap<Integer, Double> curr) {
    TreeMap<Integer, Double> currOutside = outsideZeroBucket(layout, curr);
    for (Map.Entry<Integer, Double> e : outsideZeroBucket(layout, prev).entrySet()) {
      Double now = currOutside.get(e.getKey());
      if (now == null ? e.getValue() != 0 : now < e.getValue()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The buckets from the first one reaching beyond the zero threshold on (custom buckets have no
   * zero bucket and are all kept, and so are all buckets when the threshold is 0).
   */
  private static TreeMap<Integer, Double> outsideZeroBucket(IndexedHistogram layout,
      TreeMap<Integer, Double> side) {
    if (layout.usesCustomBuckets() || layout.zeroThreshold == 0) {
      return side;
    }
    for (int index : side.keySet()) {
      if (layout.bound(index) > layout.zeroThreshold) {
        return new TreeMap<>(side.tailMap(index));
      }
    }
    return new TreeMap<>();
  }

  /**
   * Custom-bucket histograms with different bounds (Prometheus 3.8+): both mapped onto the bounds
   * they share, a reset when any of those buckets went down.
   */
  private static boolean decreasedOnCommonBounds(FloatHistogram previous,
      FloatHistogram current) {
    double[] common = HistogramCombination.commonBounds(current.customValues,
        previous.customValues);
    double[] now = HistogramCombination.onBounds(current, common).positiveBuckets;
    double[] before = HistogramCombination.onBounds(previous, common).positiveBuckets;
    for (int i = 0; i < now.length; i++) {
      if (now[i] < before[i]) {
        return true;
      }
    }
    return false;
  }
}
