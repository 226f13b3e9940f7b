package dev.tsdb.api.otlp;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.Comparator;
import java.util.List;

/**
 * What makes one OTLP stream, as the Collector's deltatocumulative processor tells streams apart:
 * the resource's and scope's identity, the metric's name, unit and type (and monotonicity for
 * sums), and the point's attributes. Attributes are compared as sets (sorted by key), since
 * senders need not keep their order from one export to the next.
 */
record StreamKey(MetricIdentity metric, List<KeyValue> attributes) {
  /** The part of a stream's identity shared by all points of one metric. */
  record MetricIdentity(List<KeyValue> resource, String scopeName, String scopeVersion,
      List<KeyValue> scopeAttributes, String name, String unit, Metric.DataCase type,
      boolean monotonic) {

    static MetricIdentity of(Resource r, InstrumentationScope s, Metric m) {
      boolean monotonic = m.getDataCase() == Metric.DataCase.SUM && m.getSum().getIsMonotonic();
      return new MetricIdentity(sorted(r.getAttributesList()), s.getName(), s.getVersion(),
          sorted(s.getAttributesList()), m.getName(), m.getUnit(), m.getDataCase(), monotonic);
    }
  }

  static StreamKey of(MetricIdentity metric, List<KeyValue> attributes) {
    return new StreamKey(metric, sorted(attributes));
  }

  private static List<KeyValue> sorted(List<KeyValue> attributes) {
    return attributes.stream().sorted(Comparator.comparing(KeyValue::getKey)).toList();
  }
}
