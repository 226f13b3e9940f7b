package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Two writers commit batches (every series of a writer gets sample k in commit k) while readers
 * check that each query sees whole commits only, and a truncator drops old chunks. At the end
 * every acknowledged sample newer than the truncation point must be there.
 */
class HeadConcurrencyTest {
  static final long T0 = 1_700_000_000_000L;
  static final int SERIES = 100;
  static final long STEP = 1; // the whole run spans well under the 1h append window

  @Test
  void writersReadersAndTruncation() throws Exception {
    Head h = new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2));
    AtomicBoolean stop = new AtomicBoolean();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicLongArray lastCommitted = new java.util.concurrent.atomic.AtomicLongArray(2);
    AtomicLong truncatedTo = new AtomicLong(Long.MIN_VALUE);
    AtomicLong reads = new AtomicLong();

    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int writer = w;
      threads.add(new Thread(() -> {
        try {
          Appender a = h.appender();
          long[] refs = new long[SERIES];
          Random r = new Random(writer);
          for (long k = 1; !stop.get() && k <= 40_000; k++) {
            long t = T0 + k * STEP;
            for (int i = 0; i < SERIES; i++) {
              refs[i] = a.append(refs[i], labels(writer, i), t, k);
            }
            // Both writers also race on one shared series; losers get rejected.
            try {
              a.append(0, Labels.of("__name__", "shared"), t + r.nextInt(500), writer);
            } catch (SampleRejectedException e) {
              // expected now and then
            }
            a.commit();
            lastCommitted.set(writer, k);
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }, "writer-" + w));
    }
    for (int rd = 0; rd < 2; rd++) {
      threads.add(new Thread(() -> {
        try {
          while (!stop.get()) {
            checkSnapshot(h, null);
            reads.incrementAndGet();
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }, "reader-" + rd));
    }
    threads.add(new Thread(() -> {
      try {
        while (!stop.get()) {
          Thread.sleep(200);
          // Stay behind the slower writer so its next samples are never out of bounds.
          long k = Math.min(lastCommitted.get(0), lastCommitted.get(1)) - 5000;
          if (k > 0) {
            long cut = T0 + k * STEP;
            h.truncateBefore(cut);
            truncatedTo.set(cut);
          }
        }
      } catch (Throwable e) {
        errors.add(e);
      }
    }, "truncator"));

    threads.forEach(Thread::start);
    Thread.sleep(4000);
    stop.set(true);
    for (Thread t : threads) {
      t.join(20_000);
    }
    if (!errors.isEmpty()) {
      throw new AssertionError("concurrent failure", errors.peek());
    }
    assertTrue(reads.get() > 0);
    assertTrue(lastCommitted.get(0) > 100 && lastCommitted.get(1) > 100, lastCommitted.toString());
    // No lost samples: each series holds every k from the truncation point to the last commit.
    Map<Integer, Long> last = checkSnapshot(h, truncatedTo.get());
    assertEquals(lastCommitted.get(0), last.get(0));
    assertEquals(lastCommitted.get(1), last.get(1));
  }

  static Labels labels(int writer, int i) {
    return Labels.of("__name__", "c", "w", "" + writer, "s", "" + i);
  }

  /**
   * Checks every series of each writer: consecutive k's, v == k, and the same last k across the
   * writer's series (whole commits). Returns the last k per writer.
   */
  static Map<Integer, Long> checkSnapshot(Head h, Long truncatedTo) {
    Map<Integer, Long> lastK = new HashMap<>();
    Map<Integer, Integer> count = new HashMap<>();
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, null, Matcher.eq("__name__", "c"));
      SampleIterator it = null;
      while (ss.next()) {
        Labels ls = ss.at().labels();
        int w = Integer.parseInt(ls.get("w"));
        it = ss.at().iterator(it);
        long prevK = -1;
        long firstK = -1;
        while (it.next() == ValueType.FLOAT) {
          long k = (it.t() - T0) / STEP;
          assertEquals(T0 + k * STEP, it.t());
          assertEquals((double) k, it.v(), 0);
          if (prevK >= 0) {
            assertEquals(prevK + 1, k, "gap in " + ls);
          } else {
            firstK = k;
          }
          prevK = k;
        }
        assertNull(it.error());
        if (prevK < 0) {
          continue; // created but its first commit is not visible to us
        }
        if (truncatedTo != null) {
          long wantFirst = Math.max(1, (truncatedTo - T0 + STEP - 1) / STEP);
          assertTrue(firstK <= wantFirst, "samples lost before " + firstK + " in " + ls);
        }
        Long prev = lastK.putIfAbsent(w, prevK);
        if (prev != null) {
          assertEquals((long) prev, prevK, "partial commit visible for writer " + w);
        }
        count.merge(w, 1, Integer::sum);
      }
    }
    for (int w : count.keySet()) {
      assertEquals(SERIES, count.get(w), "series of writer " + w);
    }
    return lastK;
  }
}
