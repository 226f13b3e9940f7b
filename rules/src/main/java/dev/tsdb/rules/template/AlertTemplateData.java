package dev.tsdb.rules.template;

import java.util.Map;

/**
 * The dot of an alert label/annotation template (Prometheus's template.AlertTemplateData):
 * {@code .Labels}, {@code .ExternalLabels}, {@code .ExternalURL} and {@code .Value}. Rules
 * prefix every template with {@code {{$labels := .Labels}}} etc. so {@code $labels} and
 * {@code $value} work too. {@code value} is a Double, or a {@link TemplateHistogram} for a native
 * histogram result.
 */
public record AlertTemplateData(GoMap labels, GoMap externalLabels, String externalUrl,
    Object value) implements GoStruct {
  public static AlertTemplateData of(Map<String, String> labels,
      Map<String, String> externalLabels, String externalUrl, double value) {
    return of(labels, externalLabels, externalUrl, (Object) value);
  }

  /** With {@code value} from {@link TemplateHistogram#valueOf}. */
  public static AlertTemplateData of(Map<String, String> labels,
      Map<String, String> externalLabels, String externalUrl, Object value) {
    return new AlertTemplateData(GoMap.ofStrings(labels), GoMap.ofStrings(externalLabels),
        externalUrl, value);
  }

  @Override
  public String goType() {
    return "struct { Labels map[string]string; ExternalLabels map[string]string; "
        + "ExternalURL string; Value interface {} }";
  }

  @Override
  public boolean hasField(String name) {
    return switch (name) {
      case "Labels", "ExternalLabels", "ExternalURL", "Value" -> true;
      default -> false;
    };
  }

  @Override
  public Object field(String name) {
    return switch (name) {
      case "Labels" -> labels;
      case "ExternalLabels" -> externalLabels;
      case "ExternalURL" -> externalUrl;
      default -> value;
    };
  }

  @Override
  public String toString() {
    return "{" + GoFmt.sprintValue(labels) + " " + GoFmt.sprintValue(externalLabels) + " "
        + externalUrl + " " + GoFmt.sprintValue(value) + "}";
  }
}
