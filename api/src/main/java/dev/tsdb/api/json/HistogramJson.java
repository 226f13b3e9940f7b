package dev.tsdb.api.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.index.histogram.Bucket;
import dev.tsdb.index.histogram.Buckets;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import java.io.IOException;

/**
 * Native histograms in query results, as Prometheus's API writes them: a vector sample
 * {@code {"metric":{..},"histogram":[t,H]}}, a matrix series
 * {@code {"metric":{..},"values":[..],"histograms":[[t,H],..]}}, where H is
 * {@code {"count":"..","sum":"..","buckets":[[rule,"lower","upper","count"],..]}}.
 *
 * <p>Numbers are strings laid out like sample values ({@link ApiJson#writeSampleValue}), the
 * timestamps like point timestamps. Buckets come in {@link Buckets#all} order; empty ones are
 * left out, and "buckets" is absent when nothing is left. The rule says which ends belong to the
 * bucket: 0 = (lower, upper], 1 = [lower, upper), 2 = (lower, upper), 3 = [lower, upper].
 */
public final class HistogramJson {
  private HistogramJson() {}

  /** A vector sample holding a histogram. */
  public static void writeSample(JsonGenerator g, Labels metric, long t, FloatHistogram h)
      throws IOException {
    g.writeStartObject();
    g.writeFieldName("metric");
    ApiJson.writeLabels(g, metric);
    g.writeFieldName("histogram");
    writePoint(g, t, h);
    g.writeEndObject();
  }

  /**
   * A matrix series: its float points under "values", its histogram points under "histograms";
   * each key only when it has points. {@code floatCount} and {@code histogramCount} say how many
   * entries of the arrays are used.
   */
  public static void writeSeries(JsonGenerator g, Labels metric, long[] floatTimes,
      double[] floatValues, int floatCount, long[] histogramTimes, FloatHistogram[] histograms,
      int histogramCount) throws IOException {
    g.writeStartObject();
    g.writeFieldName("metric");
    ApiJson.writeLabels(g, metric);
    if (floatCount > 0) {
      g.writeFieldName("values");
      g.writeStartArray();
      for (int i = 0; i < floatCount; i++) {
        g.writeStartArray();
        ApiJson.writePointTimestamp(g, floatTimes[i]);
        ApiJson.writeSampleValue(g, floatValues[i]);
        g.writeEndArray();
      }
      g.writeEndArray();
    }
    if (histogramCount > 0) {
      g.writeFieldName("histograms");
      g.writeStartArray();
      for (int i = 0; i < histogramCount; i++) {
        writePoint(g, histogramTimes[i], histograms[i]);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** {@code [t, H]}. */
  public static void writePoint(JsonGenerator g, long t, FloatHistogram h) throws IOException {
    g.writeStartArray();
    ApiJson.writePointTimestamp(g, t);
    writeHistogram(g, h);
    g.writeEndArray();
  }

  /** {@code {"count":..,"sum":..,"buckets":[..]}}. */
  public static void writeHistogram(JsonGenerator g, FloatHistogram h) throws IOException {
    g.writeStartObject();
    g.writeFieldName("count");
    ApiJson.writeSampleValue(g, h.count);
    g.writeFieldName("sum");
    ApiJson.writeSampleValue(g, h.sum);
    boolean any = false;
    for (Bucket b : Buckets.all(h)) {
      if (b.count() == 0) {
        continue;
      }
      if (!any) {
        g.writeFieldName("buckets");
        g.writeStartArray();
        any = true;
      }
      g.writeStartArray();
      g.writeNumber(boundaryRule(b));
      ApiJson.writeSampleValue(g, b.lower());
      ApiJson.writeSampleValue(g, b.upper());
      ApiJson.writeSampleValue(g, b.count());
      g.writeEndArray();
    }
    if (any) {
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  /** 0 = open left, 1 = open right, 2 = open both, 3 = closed both. */
  static int boundaryRule(Bucket b) {
    if (b.lowerInclusive()) {
      return b.upperInclusive() ? 3 : 1;
    }
    return b.upperInclusive() ? 0 : 2;
  }
}
