package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Writers commit out-of-order samples around a moving cut while a "database" repeatedly does
 * what a head cut does: prepare the truncation, read everything below the cut (the block),
 * truncate. Every acknowledged sample must end up in a block or still be in the head.
 */
class HeadTruncationRaceTest {
  static final long HOUR = 3_600_000L;

  @Test
  void outOfOrderSamplesCommittedDuringACutAreNeverLost() throws Exception {
    Head h = new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2)
        .chunkRangeMs(2 * HOUR).outOfOrderTimeWindowMs(10 * HOUR));
    // The head's max time is far ahead, so every sample below is out-of-order.
    Appender a0 = h.appender();
    a0.append(0, Labels.of("__name__", "anchor"), 20 * HOUR, 0);
    a0.commit();

    int writers = 3;
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      threads.add(new Thread(() -> {
        try {
          Random r = new Random(writer);
          Appender a = h.appender();
          long t = 10 * HOUR + writer; // unique timestamps per writer, slowly rising
          List<String> batch = new ArrayList<>();
          for (int k = 0; k < 1500 && !stop.get(); k++) {
            for (int i = 0; i < 20; i++) {
              t += writers;
              // Spread below and above the cuts that follow.
              long ts = t - r.nextInt(30_000);
              Labels ls = Labels.of("__name__", "m", "w", "" + writer, "s", "" + (i % 4));
              try {
                a.append(0, ls, ts, ts);
                batch.add(ls + "@" + ts);
              } catch (SampleRejectedException e) {
                // duplicate timestamp of the same series from the jitter: not acknowledged
              }
            }
            a.commit();
            acked.addAll(batch);
            batch.clear();
            if (k % 25 == 0) {
              Thread.sleep(1);
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    threads.forEach(Thread::start);

    Set<String> persisted = new HashSet<>();
    long cut = 10 * HOUR;
    for (int round = 0; round < 60; round++) {
      Thread.sleep(5);
      cut += 20_000;
      h.prepareTruncation(cut);
      try (Querier q = h.querier(Long.MIN_VALUE, cut - 1)) {
        collect(q, persisted);
      }
      Thread.sleep(2); // commits land between the read and the truncation
      h.truncateBefore(cut);
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertTrue(errors.isEmpty(), errors.toString());
    Set<String> all = new HashSet<>(persisted);
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      collect(q, all);
    }
    List<String> lost = new ArrayList<>();
    for (String s : acked) {
      if (!all.contains(s)) {
        lost.add(s);
      }
    }
    assertTrue(acked.size() > 1000, "acknowledged " + acked.size());
    assertEquals(List.of(), lost.subList(0, Math.min(10, lost.size())), lost.size() + " lost");
    // The head knows it holds data below the last cut (for the next "late" block).
    assertTrue(h.minTime() < Long.MAX_VALUE);
  }

  private static void collect(Querier q, Set<String> out) {
    SeriesSet ss = q.select(false, null, Matcher.eq("__name__", "m"));
    SampleIterator it = null;
    while (ss.next()) {
      it = ss.at().iterator(it);
      while (it.next() == ValueType.FLOAT) {
        out.add(ss.at().labels() + "@" + it.t());
      }
    }
  }
}
