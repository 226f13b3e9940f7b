package dev.tsdb.rules.template;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.histogram.HistogramStrings;
import dev.tsdb.promql.value.Sample;
import java.util.ArrayList;
import java.util.List;

/**
 * A native histogram as templates see it: Prometheus hands templates the {@code
 * *histogram.FloatHistogram} itself as {@code $value} (alert templates) or {@code .Value} (query
 * results). Printing it gives its String() form ({@code {count:4, sum:10, [1,2):3, ...}});
 * numeric functions such as {@code humanize} refuse it ("can't convert
 * *histogram.FloatHistogram to float"); its scalar and bucket fields are reachable.
 */
public record TemplateHistogram(FloatHistogram histogram) implements GoStruct {
  /** The template value of a query/rule result element: a float64, or the histogram. */
  public static Object valueOf(Sample s) {
    return s.isHistogram() ? new TemplateHistogram(s.histogram()) : (Object) s.value();
  }

  @Override
  public String goType() {
    return "*histogram.FloatHistogram";
  }

  @Override
  public boolean hasField(String name) {
    return switch (name) {
      case "Schema", "ZeroThreshold", "ZeroCount", "Count", "Sum", "PositiveBuckets",
          "NegativeBuckets" -> true;
      default -> false;
    };
  }

  @Override
  public Object field(String name) {
    return switch (name) {
      case "Schema" -> (long) histogram.schema;
      case "ZeroThreshold" -> histogram.zeroThreshold;
      case "ZeroCount" -> histogram.zeroCount;
      case "Count" -> histogram.count;
      case "Sum" -> histogram.sum;
      case "PositiveBuckets" -> floats(histogram.positiveBuckets);
      case "NegativeBuckets" -> floats(histogram.negativeBuckets);
      default -> throw new IllegalArgumentException(name);
    };
  }

  private static GoSlice floats(double[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return new GoSlice(out, "[]float64");
  }

  /** fmt prints a Stringer through its String method, at any depth. */
  @Override
  public String toString() {
    return HistogramStrings.of(histogram);
  }
}
