package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

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

  /**
   * Damages the newest WAL segment's last record in place: flips bits a few bytes before its end
   * (past the page padding), so its CRC no longer matches.
   */
  static void corruptLastRecord(Path walDir) throws IOException {
    Path seg;
    try (Stream<Path> s = Files.list(walDir)) {
      seg = s.filter(p -> p.getFileName().toString().matches("\\d{8}"))
          .filter(p -> p.toFile().length() > 0).sorted().reduce((x, y) -> y).orElseThrow();
    }
    byte[] data = Files.readAllBytes(seg);
    int end = data.length - 1;
    while (data[end] == 0) {
      end--; // skip page padding to the last record's bytes
    }
    data[end - 2] ^= 0x5A;
    Files.write(seg, data);
  }

  static Map<Labels, List<Sample>> read(Head h, long mint, long maxt, Matcher... ms) {
    try (Querier q = h.querier(mint, maxt)) {
      return read(q, ms);
    }
  }
}
