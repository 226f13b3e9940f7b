package dev.tsdb.blocks.db;

import static dev.tsdb.blocks.db.DbTestUtil.H;
import static dev.tsdb.blocks.db.HistogramDbTest.END;
import static dev.tsdb.blocks.db.HistogramDbTest.T0;
import static dev.tsdb.blocks.db.HistogramDbTest.appendAll;
import static dev.tsdb.blocks.db.HistogramDbTest.expected;
import static dev.tsdb.blocks.db.HistogramDbTest.generate;
import static dev.tsdb.blocks.db.HistogramDbTest.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Out-of-order native histograms through the Database (Prometheus 3.x): late histograms within
 * the window are served from the head, replayed from the WAL and persisted by head cuts, also
 * below the head's floor (then vertically compacted into non-overlapping blocks).
 */
class HistogramOutOfOrderDbTest {
  @TempDir
  Path dir;

  /** Every fifth sample of each series, held back to be written late. */
  private static TreeMap<Labels, TreeMap<Long, Object>> split(
      TreeMap<Labels, TreeMap<Long, Object>> all) {
    TreeMap<Labels, TreeMap<Long, Object>> late = new TreeMap<>(Utf8Order::compare);
    all.forEach((l, m) -> {
      TreeMap<Long, Object> mine = new TreeMap<>();
      int i = 0;
      for (Map.Entry<Long, Object> e : m.entrySet()) {
        if (i++ % 5 == 2) {
          mine.put(e.getKey(), e.getValue());
        }
      }
      mine.keySet().forEach(m::remove);
      late.put(l, mine);
    });
    return late;
  }

  @Test
  void lateHistogramsAreServedReplayedAndCutIntoBlocks() throws Exception {
    DbOptions o = DbTestUtil.testOptions().outOfOrderTimeWindowMs(6 * H);
    TreeMap<Labels, TreeMap<Long, Object>> all = generate();
    Map<Labels, List<String>> want = expected(all);
    TreeMap<Labels, TreeMap<Long, Object>> inOrder = generate();
    TreeMap<Labels, TreeMap<Long, Object>> late = split(inOrder);
    try (Database db = Database.open(dir, o)) {
      appendAll(db, inOrder);
      assertEquals(expected(inOrder), readAll(db), "in order only");
      // The late half that falls in the first block's range comes after the cut: below the
      // floor; the rest before it.
      TreeMap<Labels, TreeMap<Long, Object>> early = new TreeMap<>(Utf8Order::compare);
      TreeMap<Labels, TreeMap<Long, Object>> belowFloor = new TreeMap<>(Utf8Order::compare);
      late.forEach((l, m) -> {
        belowFloor.put(l, new TreeMap<>(m.headMap(T0 + 2 * H)));
        early.put(l, new TreeMap<>(m.tailMap(T0 + 2 * H)));
      });
      appendAll(db, early);
      long lateHistograms = db.headStats().outOfOrderHistogramsAppended.sum();
      assertTrue(lateHistograms > 100, "out-of-order histograms: " + lateHistograms);
      db.compact();
      assertEquals(T0 + 2 * H, db.headFloor());
      appendAll(db, belowFloor);
      assertEquals(want, readAll(db), "block + head with late data");
    }
    try (Database db = Database.open(dir, o)) {
      assertEquals(want, readAll(db), "reopened: late histograms replayed from the WAL");
      // More in-order data, then cuts: everything ends up in blocks that do not overlap.
      TreeMap<Labels, TreeMap<Long, Object>> more = HistogramDbTest.generate(END + 60_000);
      more.values().forEach(m -> m.headMap(END + 3 * H).clear());
      appendAll(db, more);
      more.forEach((l, m) -> all.get(l).putAll(m));
      want = expected(all);
      db.compact();
      assertEquals(want, readAll(db), "after cuts");
      assertTrue(db.headFloor() >= END, "floor " + db.headFloor());
      for (int i = 1; i < db.blocks().size(); i++) {
        assertTrue(db.blocks().get(i).minTime() >= db.blocks().get(i - 1).maxTime(),
            "no overlap: " + db.blocks());
      }
    }
    try (Database db = Database.open(dir, o)) {
      assertEquals(want, readAll(db), "reopened from blocks");
    }
  }
}
