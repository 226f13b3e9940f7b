package dev.tsdb.api.handlers;

import dev.tsdb.api.export.ExpositionLines;
import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.index.labels.Labels;
import java.util.List;
import java.util.Map;

/**
 * /federate's answer in the text exposition format: untyped families by metric name. The format
 * has no native histograms, so histogram samples are left out, as Prometheus does.
 */
final class FederationText {
  private FederationText() {}

  static String render(List<FederatedSample> samples, Map<String, String> externalLabels) {
    StringBuilder sb = new StringBuilder();
    String family = null;
    for (FederatedSample s : samples) {
      if (s.isHistogram()) {
        continue;
      }
      String name = s.labels().metricName();
      if (!name.equals(family)) {
        family = name;
        sb.append("# TYPE ").append(name).append(" untyped\n");
      }
      sb.append(name);
      boolean first = true;
      for (int i = 0; i < s.labels().size(); i++) {
        String n = s.labels().name(i);
        if (n.equals(Labels.METRIC_NAME)) {
          continue;
        }
        first = label(sb, first, n, s.labels().value(i));
      }
      for (Map.Entry<String, String> e : externalLabels.entrySet()) {
        if (!s.labels().has(e.getKey())) {
          first = label(sb, first, e.getKey(), e.getValue());
        }
      }
      if (!first) {
        sb.append('}');
      }
      sb.append(' ').append(s.v() == 0 ? "0" : GoFloat.formatG(s.v()));
      sb.append(' ').append(s.t()).append('\n');
    }
    return sb.toString();
  }

  private static boolean label(StringBuilder sb, boolean first, String name, String value) {
    sb.append(first ? '{' : ',');
    sb.append(name).append('=');
    ExpositionLines.appendEscaped(sb, value);
    return false;
  }
}
