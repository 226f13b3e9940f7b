package dev.tsdb.api.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.storage.QueryCancellation;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.Scalar;
import dev.tsdb.promql.value.SeriesPoints;
import dev.tsdb.promql.value.StringValue;
import dev.tsdb.promql.value.Value;
import dev.tsdb.promql.value.Vector;
import java.io.IOException;

/**
 * Writes query results in the API's shapes: vector {@code [{"metric":{..},"value":[t,"v"]}]},
 * matrix {@code [{"metric":{..},"values":[[t,"v"],..]}]}, scalar and string {@code [t,"v"]};
 * native histograms as {@link HistogramJson} lays them out.
 *
 * <p>Prometheus formats the two families differently (checked against it): vector and matrix
 * points go through jsoniter (timestamp milliseconds always three digits, "1.500"; values with
 * the 'e' cutoffs), scalars and strings through encoding/json (shortest timestamp "1.5"; scalar
 * values always 'f').
 */
public final class ValueJson {
  private ValueJson() {}

  /** Writes {@code "resultType":..,"result":..} into the currently open object. */
  public static void writeQueryData(JsonGenerator g, Value value) throws IOException {
    g.writeStringField("resultType", value.resultType());
    g.writeFieldName("result");
    writeResult(g, value);
  }

  public static void writeResult(JsonGenerator g, Value value) throws IOException {
    if (value instanceof Vector v) {
      g.writeStartArray();
      long written = 0;
      for (Sample s : v.samples()) {
        QueryCancellation.checkEvery(++written); // a huge result for a client that left
        if (s.isHistogram()) {
          HistogramJson.writeSample(g, s.metric(), s.timestampMs(), s.histogram());
          continue;
        }
        g.writeStartObject();
        g.writeFieldName("metric");
        ApiJson.writeLabels(g, s.metric());
        g.writeFieldName("value");
        writePoint(g, s.timestampMs(), s.value());
        g.writeEndObject();
      }
      g.writeEndArray();
    } else if (value instanceof Matrix m) {
      g.writeStartArray();
      long written = 0;
      for (SeriesPoints sp : m.series()) {
        QueryCancellation.checkEvery(++written);
        if (sp.histograms() != null) {
          writeMixedSeries(g, sp);
          continue;
        }
        g.writeStartObject();
        g.writeFieldName("metric");
        ApiJson.writeLabels(g, sp.metric());
        g.writeFieldName("values");
        g.writeStartArray();
        long[] ts = sp.timestampsMs();
        double[] vs = sp.values();
        for (int i = 0; i < sp.count(); i++) {
          QueryCancellation.checkEvery(++written);
          writePoint(g, ts[i], vs[i]);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
    } else if (value instanceof Scalar s) {
      g.writeStartArray();
      ApiJson.writeFloatTimestamp(g, s.timestampMs());
      ApiJson.writeScalarValue(g, s.value());
      g.writeEndArray();
    } else if (value instanceof StringValue s) {
      g.writeStartArray();
      ApiJson.writeFloatTimestamp(g, s.timestampMs());
      g.writeString(s.value());
      g.writeEndArray();
    } else {
      throw new IllegalArgumentException("unknown value type " + value);
    }
  }

  /** A series with histogram points: floats and histograms in separate lists, as Prometheus. */
  private static void writeMixedSeries(JsonGenerator g, SeriesPoints sp) throws IOException {
    int n = sp.count();
    int floats = sp.floatCount();
    long[] floatTimes = new long[floats];
    double[] floatValues = new double[floats];
    long[] histogramTimes = new long[n - floats];
    FloatHistogram[] histograms = new FloatHistogram[n - floats];
    int f = 0;
    int h = 0;
    for (int i = 0; i < n; i++) {
      if (sp.isHistogram(i)) {
        histogramTimes[h] = sp.timestampsMs()[i];
        histograms[h++] = sp.histograms()[i];
      } else {
        floatTimes[f] = sp.timestampsMs()[i];
        floatValues[f++] = sp.values()[i];
      }
    }
    HistogramJson.writeSeries(g, sp.metric(), floatTimes, floatValues, f, histogramTimes,
        histograms, h);
  }

  private static void writePoint(JsonGenerator g, long t, double v) throws IOException {
    g.writeStartArray();
    ApiJson.writePointTimestamp(g, t);
    ApiJson.writeSampleValue(g, v);
    g.writeEndArray();
  }
}
