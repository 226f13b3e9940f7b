package dev.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.ExemplarSeries;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.SampleRejectedException.Reason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadExemplarTest {
  static final Labels A = Labels.of("__name__", "req_bucket", "le", "1");
  static final Labels B = Labels.of("__name__", "req_bucket", "le", "2");
  static final List<List<Matcher>> ALL = List.of(List.of(Matcher.eq("__name__", "req_bucket")));
  @TempDir
  Path dir;

  private static HeadOptions opts() {
    return new HeadOptions().clock(() -> Long.MAX_VALUE / 2);
  }

  private static Exemplar ex(String trace, double v, long t) {
    return new Exemplar(Labels.of("trace_id", trace), v, t);
  }

  @Test
  void validatesLikePrometheusAndSelectsByMatchersAndTime() throws Exception {
    Head h = new Head(opts());
    Appender app = h.appender();
    long ra = app.append(0, A, 1000, 1);
    app.append(0, B, 1000, 1);
    app.appendExemplar(ra, null, ex("a1", 1, 1000));
    app.appendExemplar(0, B, ex("b1", 2, 1000));
    app.commit();
    // Duplicate of the newest: ignored without error.
    app.appendExemplar(ra, A, ex("a1", 1, 1000));
    // Older than the newest: out of order.
    SampleRejectedException e = assertThrows(SampleRejectedException.class,
        () -> app.appendExemplar(ra, A, ex("a0", 1, 999)));
    assertEquals(Reason.EXEMPLAR_OUT_OF_ORDER, e.reason());
    // Same time, smaller value: out of order; larger value: accepted.
    assertEquals(Reason.EXEMPLAR_OUT_OF_ORDER, assertThrows(SampleRejectedException.class,
        () -> app.appendExemplar(ra, A, ex("a2", 0.5, 1000))).reason());
    app.appendExemplar(ra, A, ex("a3", 3, 1000));
    // 128 runes of names and values are fine, 129 are not (runes, not UTF-16 units or bytes).
    String v = "é".repeat(120); // 8 + 120 = 128
    app.appendExemplar(ra, A, new Exemplar(Labels.of("trace_id", v), 5, 2000));
    assertEquals(Reason.EXEMPLAR_LABELS_TOO_LONG, assertThrows(SampleRejectedException.class,
        () -> app.appendExemplar(ra, A, new Exemplar(Labels.of("trace_id", v + "x"), 5, 3000)))
        .reason());
    assertEquals(Reason.INVALID_LABELS, assertThrows(SampleRejectedException.class,
        () -> app.appendExemplar(0, Labels.of("__name__", "nope"), ex("x", 1, 1))).reason());
    app.commit();

    List<ExemplarSeries> got = h.selectExemplars(0, 5000, ALL);
    assertEquals(List.of(A, B), got.stream().map(ExemplarSeries::seriesLabels).toList());
    assertEquals(List.of(ex("a1", 1, 1000), ex("a3", 3, 1000),
        new Exemplar(Labels.of("trace_id", v), 5, 2000)), got.get(0).exemplars());
    assertEquals(List.of(ex("b1", 2, 1000)), got.get(1).exemplars());
    assertEquals(1, h.selectExemplars(1500, 5000, ALL).size());
    assertEquals(List.of(B), h.selectExemplars(0, 5000,
        List.of(List.of(Matcher.eq("le", "2")), List.of(Matcher.eq("le", "9")))).stream()
        .map(ExemplarSeries::seriesLabels).toList());
    assertEquals(4, h.numExemplars());
    assertEquals(2, h.seriesWithExemplars());
  }

  @Test
  void circularBufferOverwritesTheOldestOfAnySeries() throws Exception {
    Head h = new Head(opts().maxExemplars(5));
    Appender app = h.appender();
    long ra = app.append(0, A, 1, 1);
    long rb = app.append(0, B, 1, 1);
    app.appendExemplar(rb, B, ex("b", 0, 1)); // the oldest: evicted first, B disappears
    for (int i = 0; i < 5; i++) {
      app.appendExemplar(ra, A, ex("a" + i, i, 10 + i));
    }
    app.commit();
    List<ExemplarSeries> got = h.selectExemplars(0, 100, ALL);
    assertEquals(1, got.size());
    assertEquals(5, got.get(0).exemplars().size());
    assertEquals(1, h.seriesWithExemplars());
    h.resizeExemplars(2);
    assertEquals(List.of(ex("a3", 3, 13), ex("a4", 4, 14)),
        h.selectExemplars(0, 100, ALL).get(0).exemplars());
    app.appendExemplar(ra, A, ex("a5", 5, 15));
    app.commit();
    assertEquals(List.of(ex("a4", 4, 14), ex("a5", 5, 15)),
        h.selectExemplars(0, 100, ALL).get(0).exemplars());
    h.resizeExemplars(0);
    app.appendExemplar(ra, A, ex("a6", 6, 16));
    app.commit();
    assertEquals(List.of(), h.selectExemplars(0, 100, ALL));
  }

  @Test
  void exemplarsAreLoggedAndReplayed() throws Exception {
    try (Head h = Head.open(dir, opts())) {
      Appender app = h.appender();
      long ra = app.append(0, A, 1000, 1);
      app.appendExemplar(ra, A, ex("a1", 1, 1000));
      app.commit();
      app.appendExemplar(ra, A, ex("a2", 2, 2000)); // an exemplar-only commit
      app.commit();
    }
    try (Head h = Head.open(dir, opts())) {
      List<ExemplarSeries> got = h.selectExemplars(0, 5000, ALL);
      assertEquals(1, got.size());
      assertEquals(List.of(ex("a1", 1, 1000), ex("a2", 2, 2000)), got.get(0).exemplars());
      assertTrue(h.replaySummary().contains("exemplars=2"), h.replaySummary());
      // Validation continues from the replayed state.
      Appender app = h.appender();
      assertThrows(SampleRejectedException.class, () -> app.appendExemplar(0, A, ex("x", 1, 1500)));
    }
  }
}
