package dev.tsdb.api.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.CodedInputStream;
import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The two /federate encodings over a mix of floats and native histograms. */
class FederationRenderTest {
  static final Map<String, String> EXT = new TreeMap<>(Map.of("instance", ""));

  static FloatHistogram histogram(CounterResetHint hint) {
    FloatHistogram h = new FloatHistogram();
    h.counterResetHint = hint;
    h.count = 3;
    h.sum = 4.5;
    h.positiveSpans = new int[] {0, 2};
    h.positiveBuckets = new double[] {1, 2};
    return h;
  }

  static List<FederatedSample> samples() {
    return List.of(
        new FederatedSample(Labels.of("__name__", "m", "k", "a"), 1000, 1.5, null),
        new FederatedSample(Labels.of("__name__", "m", "k", "b"), 2000, 0,
            histogram(CounterResetHint.UNKNOWN)),
        new FederatedSample(Labels.of("__name__", "m", "k", "c"), 3000, 0,
            histogram(CounterResetHint.GAUGE)),
        new FederatedSample(Labels.of("__name__", "m", "k", "d"), 4000, 2, null));
  }

  @Test
  void textLeavesHistogramsOut() {
    assertEquals("""
        # TYPE m untyped
        m{k="a",instance=""} 1.5 1000
        m{k="d",instance=""} 2 4000
        """, FederationText.render(samples(), EXT));
  }

  /** (name, type, number of metrics) of every delimited MetricFamily. */
  @Test
  void protobufStartsAFamilyWhenTheKindChanges() throws Exception {
    byte[] body = FederationProtobuf.render(samples(), EXT);
    CodedInputStream in = CodedInputStream.newInstance(body);
    List<String> families = new ArrayList<>();
    while (!in.isAtEnd()) {
      int limit = in.pushLimit(in.readRawVarint32());
      String name = null;
      int type = -1;
      int metrics = 0;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag >>> 3) {
          case 1 -> name = in.readString();
          case 3 -> type = in.readEnum();
          case 4 -> {
            metrics++;
            in.skipField(tag);
          }
          default -> in.skipField(tag);
        }
      }
      in.popLimit(limit);
      families.add(name + "/" + type + "/" + metrics);
    }
    // UNTYPED = 3, HISTOGRAM = 4, GAUGE_HISTOGRAM = 5.
    assertEquals(List.of("m/3/1", "m/4/1", "m/5/1", "m/3/1"), families);
  }
}
