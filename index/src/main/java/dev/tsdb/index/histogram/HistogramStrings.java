package dev.tsdb.index.histogram;

import dev.tsdb.gocompat.GoFloat;
import java.util.List;

/**
 * The one-line text of a float histogram that Prometheus prints with its FloatHistogram String
 * method (what count_values puts into the label for a histogram sample):
 * {@code {count:20, sum:10, [-2,-1):2, [-0.001,0.001]:2, (1,2]:2}}, buckets from the most negative
 * up, only populated ones, numbers as Go's %g.
 */
public final class HistogramStrings {
  private HistogramStrings() {}

  public static String of(FloatHistogram h) {
    StringBuilder sb = new StringBuilder("{count:");
    GoFloat.appendG(sb, h.count);
    sb.append(", sum:");
    GoFloat.appendG(sb, h.sum);
    appendPopulated(sb, Buckets.negative(h));
    if (h.zeroCount != 0) {
      append(sb, Buckets.zeroBucket(h));
    }
    appendPopulated(sb, Buckets.positive(h));
    return sb.append('}').toString();
  }

  private static void appendPopulated(StringBuilder sb, List<Bucket> buckets) {
    for (Bucket b : buckets) {
      if (b.count() != 0) {
        append(sb, b);
      }
    }
  }

  private static void append(StringBuilder sb, Bucket b) {
    sb.append(", ").append(b.lowerInclusive() ? '[' : '(');
    GoFloat.appendG(sb, b.lower());
    sb.append(',');
    GoFloat.appendG(sb, b.upper());
    sb.append(b.upperInclusive() ? ']' : ')').append(':');
    GoFloat.appendG(sb, b.count());
  }
}
