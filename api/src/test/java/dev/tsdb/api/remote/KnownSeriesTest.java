package dev.tsdb.api.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.SampleRejectedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KnownSeriesTest {
  private static final Labels UP = Labels.of("__name__", "up", "instance", "a:9090", "job", "j");

  /** The Label messages of a series, as a TimeSeries without samples holds them. */
  private static byte[] labelBytes(String... nameValues) throws IOException {
    return PromPb.timeSeries(PromPb.Series.raw(nameValues, new long[0], new double[0]));
  }

  @Test
  void matchesExactlyTheLabelsInOrder() throws IOException {
    byte[] b = labelBytes("__name__", "up", "instance", "a:9090", "job", "j");
    assertTrue(KnownSeries.matches(b, 0, b.length, UP));
    assertFalse(KnownSeries.matches(b, 0, b.length - 1, UP));
    assertFalse(KnownSeries.matches(b, 0, b.length, Labels.of("__name__", "up", "job", "j")));
    assertFalse(KnownSeries.matches(b, 0, b.length,
        Labels.of("__name__", "up", "instance", "a:9091", "job", "j")));
    // Unsorted, an empty value, an extra label, another string: all left to the full decoder.
    byte[] unsorted = labelBytes("job", "j", "__name__", "up", "instance", "a:9090");
    assertFalse(KnownSeries.matches(unsorted, 0, unsorted.length, UP));
    byte[] empty = labelBytes("__name__", "up", "instance", "a:9090", "job", "j", "x", "");
    assertFalse(KnownSeries.matches(empty, 0, empty.length, UP));
    Labels utf8 = Labels.of("__name__", "up", "city", "Zürich");
    byte[] u = labelBytes("__name__", "up", "city", "Zürich");
    assertFalse(KnownSeries.matches(u, 0, u.length, utf8));
  }

  @Test
  void neverThrowsOnGarbage() throws IOException {
    byte[] b = labelBytes("__name__", "up", "instance", "a:9090", "job", "j");
    Random r = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] g = b.clone();
      for (int k = 0; k < 1 + r.nextInt(3); k++) {
        g[r.nextInt(g.length)] = (byte) r.nextInt(256);
      }
      int to = r.nextInt(g.length + 1);
      boolean m = KnownSeries.matches(g, 0, to, UP);
      assertEquals(m, to == b.length && Arrays.equals(g, b), "garbage matched");
    }
  }

  @Test
  void growsSoThatEverySeriesIsFound() throws IOException {
    KnownSeries k = new KnownSeries(1 << 14);
    int n = 3000; // more than a quarter of the first 4096 slots
    byte[][] bytes = new byte[n][];
    for (int i = 0; i < n; i++) {
      bytes[i] = labelBytes("__name__", "m", "i", Integer.toString(i));
      k.remember(KnownSeries.hash(bytes[i], 0, bytes[i].length),
          Labels.of("__name__", "m", "i", Integer.toString(i)), i + 1);
    }
    assertEquals(1 << 14, k.capacity());
    int found = 0;
    for (int i = 0; i < n; i++) {
      long h = KnownSeries.hash(bytes[i], 0, bytes[i].length);
      KnownSeries.Entry e = k.find(bytes[i], 0, bytes[i].length, h);
      if (e != null && e.ref() == i + 1) {
        found++;
      }
      assertNull(k.find(bytes[i], 0, bytes[i].length, h ^ 1)); // a hash alone never decides
    }
    assertTrue(found > n * 0.99, found + " of " + n + " found");
  }

  /** A storage-like appender: series by labels, refs by index; counts label lookups. */
  private static final class Store implements Appender {
    final Map<Labels, Long> refs = new HashMap<>();
    final List<Labels> byRef = new ArrayList<>(List.of(Labels.EMPTY));
    final List<String> appended = new ArrayList<>();
    int lookups;

    @Override
    public Labels existingLabels(String[] nameValues, int len) {
      lookups++;
      Labels l = Labels.fromSortedUnsafe(Arrays.copyOf(nameValues, len));
      Long ref = refs.get(l);
      return ref == null ? null : byRef.get(ref.intValue());
    }

    @Override
    public long append(long ref, Labels labels, long t, double v)
        throws SampleRejectedException {
      if (ref != 0) {
        assertSame(byRef.get((int) ref), labels, "reference and labels disagree");
      } else {
        Long r = refs.get(labels);
        if (r == null) {
          r = (long) byRef.size();
          byRef.add(labels);
          refs.put(labels, r);
        }
        ref = r;
      }
      appended.add(byRef.get((int) ref) + " " + t + "=" + v);
      return ref;
    }

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }

  @Test
  void decoderSkipsTheLookupOfKnownSeries() throws IOException {
    KnownSeries known = new KnownSeries(1 << 12);
    WriteRequestDecoder d = new WriteRequestDecoder(known);
    Store store = new Store();
    Labels other = Labels.of("__name__", "x", "job", "j");
    for (int round = 0; round < 3; round++) {
      byte[] req = PromPb.writeRequest(List.of(
          PromPb.Series.of(UP, new long[] {round}, new double[] {round}),
          PromPb.Series.of(other, new long[] {round}, new double[] {10 + round}),
          PromPb.Series.raw(new String[] {"job", "j"}, new long[] {round}, new double[] {1})),
          List.of());
      int before = store.lookups;
      WriteOutcome o = d.decode(req, req.length, store, null, Long.MAX_VALUE);
      assertEquals(2, o.samplesAppended);
      assertEquals(1, o.seriesRejected, "the series without a name, every time");
      // Round 0 creates the series; round 1 finds them as the storage's own labels and
      // remembers them; from round 2 on only the invalid series is looked up.
      assertEquals(round < 2 ? 3 : 1, store.lookups - before, "lookups in round " + round);
    }
    assertEquals(List.of(UP + " 0=0.0", other + " 0=10.0", UP + " 1=1.0", other + " 1=11.0",
        UP + " 2=2.0", other + " 2=12.0"), store.appended);
  }
}
