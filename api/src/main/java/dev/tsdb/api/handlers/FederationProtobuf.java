package dev.tsdb.api.handlers;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * /federate's answer as length-delimited {@code io.prometheus.client.MetricFamily} messages (the
 * proto2 client_model schema), the one format that carries native histograms. Consecutive samples
 * share a family while the name and the kind (float, counter histogram, gauge histogram) stay
 * the same; floats are UNTYPED, histograms HISTOGRAM or GAUGE_HISTOGRAM with float counts. As in
 * Prometheus, every field it sets is written even at its zero value (proto2 presence), fields go
 * out in field-number order and repeated numbers are not packed.
 */
final class FederationProtobuf {
  private static final int TYPE_UNTYPED = 3;
  private static final int TYPE_HISTOGRAM = 4;
  private static final int TYPE_GAUGE_HISTOGRAM = 5;

  private FederationProtobuf() {}

  static byte[] render(List<FederatedSample> samples, Map<String, String> externalLabels)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String family = null;
    int familyType = -1;
    ByteArrayOutputStream metrics = new ByteArrayOutputStream();
    for (FederatedSample s : samples) {
      String name = s.labels().metricName();
      if (name.isEmpty()) {
        continue; // nameless series are ignored, as Prometheus does
      }
      int type = typeOf(s);
      if (!name.equals(family) || type != familyType) {
        if (family != null) {
          writeFamily(out, family, familyType, metrics.toByteArray());
        }
        family = name;
        familyType = type;
        metrics.reset();
      }
      byte[] metric = metric(s, externalLabels);
      CodedOutputStream m = CodedOutputStream.newInstance(metrics);
      m.writeByteArray(4, metric);
      m.flush();
    }
    if (family != null) {
      writeFamily(out, family, familyType, metrics.toByteArray());
    }
    return out.toByteArray();
  }

  private static int typeOf(FederatedSample s) {
    if (!s.isHistogram()) {
      return TYPE_UNTYPED;
    }
    return s.h().counterResetHint == CounterResetHint.GAUGE ? TYPE_GAUGE_HISTOGRAM
        : TYPE_HISTOGRAM;
  }

  /** One delimited MetricFamily: name (1), type (3), then the metrics (4) already encoded. */
  private static void writeFamily(ByteArrayOutputStream out, String name, int type,
      byte[] metrics) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(metrics.length + name.length() + 8);
    CodedOutputStream b = CodedOutputStream.newInstance(body);
    b.writeString(1, name);
    b.writeEnum(3, type);
    b.flush();
    body.write(metrics);
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    o.writeUInt32NoTag(body.size());
    o.flush();
    body.writeTo(out);
  }

  /**
   * A Metric: the series' labels but the name (1), the external labels it lacks, then the float
   * (5, Untyped) or nothing, the timestamp (6) and the histogram (7).
   */
  private static byte[] metric(FederatedSample s, Map<String, String> externalLabels)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    CodedOutputStream m = CodedOutputStream.newInstance(bytes);
    Labels l = s.labels();
    for (int i = 0; i < l.size(); i++) {
      if (!l.name(i).equals(Labels.METRIC_NAME) && !l.value(i).isEmpty()) {
        m.writeByteArray(1, labelPair(l.name(i), l.value(i)));
      }
    }
    for (Map.Entry<String, String> e : externalLabels.entrySet()) {
      if (!l.has(e.getKey())) {
        m.writeByteArray(1, labelPair(e.getKey(), e.getValue()));
      }
    }
    if (!s.isHistogram()) {
      m.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      m.writeUInt32NoTag(CodedOutputStream.computeDoubleSize(1, s.v()));
      m.writeDouble(1, s.v());
    }
    m.writeInt64(6, s.t());
    if (s.isHistogram()) {
      m.writeByteArray(7, histogram(s.h()));
    }
    m.flush();
    return bytes.toByteArray();
  }

  private static byte[] labelPair(String name, String value) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(name.length() + value.length() + 4);
    CodedOutputStream p = CodedOutputStream.newInstance(bytes);
    p.writeString(1, name);
    p.writeString(2, value);
    p.flush();
    return bytes.toByteArray();
  }

  /**
   * The Histogram fields Prometheus's federation sets: sum (2), float count (4), schema (5), zero
   * threshold (6), float zero count (8), negative spans (9) and counts (11), positive spans (12)
   * and counts (14). Custom bucket bounds have no field there and are not sent.
   */
  private static byte[] histogram(FloatHistogram h) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    CodedOutputStream o = CodedOutputStream.newInstance(bytes);
    o.writeDouble(2, h.sum);
    o.writeDouble(4, h.count);
    o.writeSInt32(5, h.schema);
    o.writeDouble(6, h.zeroThreshold);
    o.writeDouble(8, h.zeroCount);
    spans(o, 9, h.negativeSpans);
    for (double c : h.negativeBuckets) {
      o.writeDouble(11, c);
    }
    spans(o, 12, h.positiveSpans);
    for (double c : h.positiveBuckets) {
      o.writeDouble(14, c);
    }
    o.flush();
    return bytes.toByteArray();
  }

  /** Each (offset, length) pair as a BucketSpan, both fields always present. */
  private static void spans(CodedOutputStream o, int field, int[] spans) throws IOException {
    for (int i = 0; i + 1 < spans.length; i += 2) {
      o.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      o.writeUInt32NoTag(CodedOutputStream.computeSInt32Size(1, spans[i])
          + CodedOutputStream.computeUInt32Size(2, spans[i + 1]));
      o.writeSInt32(1, spans[i]);
      o.writeUInt32(2, spans[i + 1]);
    }
  }
}
