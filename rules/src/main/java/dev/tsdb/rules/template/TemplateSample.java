package dev.tsdb.rules.template;

import dev.tsdb.index.labels.Labels;
import java.util.TreeMap;

/**
 * One element of a {@code query} result as templates see it (Prometheus's template.sample):
 * {@code .Labels} (a map[string]string including __name__) and {@code .Value} (a float64, or a
 * {@link TemplateHistogram} for a native histogram).
 */
public record TemplateSample(GoMap labels, Object value) implements GoStruct {
  /** The Go type of a query result, a slice of these. */
  public static final String QUERY_RESULT_TYPE = "template.queryResult";

  public static TemplateSample of(Labels metric, double value) {
    return of(metric, (Object) value);
  }

  /** With {@code value} from {@link TemplateHistogram#valueOf}. */
  public static TemplateSample of(Labels metric, Object value) {
    TreeMap<String, String> m = new TreeMap<>();
    metric.forEach(m::put);
    return new TemplateSample(GoMap.ofStrings(m), value);
  }

  @Override
  public String goType() {
    return "*template.sample";
  }

  @Override
  public boolean hasField(String name) {
    return name.equals("Labels") || name.equals("Value");
  }

  @Override
  public Object field(String name) {
    return name.equals("Labels") ? labels : value;
  }

  /** Go prints a *sample with %v as {@code &{map[...] 1}}. */
  @Override
  public String toString() {
    return "&{" + GoFmt.sprintValue(labels) + " " + GoFmt.sprintValue(value) + "}";
  }
}
