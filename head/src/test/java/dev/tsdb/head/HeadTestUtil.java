package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tsdb.labels.Labels;
import dev.tsdb.labels.Matcher;
import dev.tsdb.storage.Querier;
import dev.tsdb.storage.SampleIterator;
import dev.tsdb.storage.Series;
import dev.tsdb.storage.SeriesSet;
import dev.tsdb.storage.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

final class HeadTestUtil {
  private HeadTestUtil() {}

  record Sample(long t, double v) {}

  static Map<Labels, List<Sample>> read(Querier q, Matcher... ms) {
    Map<Labels, List<Sample>> out = new LinkedHashMap<>();
    SeriesSet ss = q.select(true, null, ms);
    SampleIterator it = null;
    while (ss.next()) {
      Series s = ss.at();
      it = s.iterator(it);
      List<Sample> samples = new ArrayList<>();
      while (it.next() == ValueType.FLOAT) {
        samples.add(new Sample(it.t(), it.v()));
      }
      assertNull(it.error());
      out.put(s.labels(), samples);
    }
    assertNull(ss.error());
    return out;
  }

  static Map<Labels, List<Sample>> read(Head h, long mint, long maxt, Matcher... ms) {
    try (Querier q = h.querier(mint, maxt)) {
      return read(q, ms);
    }
  }
}
