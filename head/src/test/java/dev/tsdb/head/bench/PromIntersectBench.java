package dev.tsdb.head.bench;

import dev.tsdb.index.postings.PostingsForMatchers;
import dev.tsdb.index.postings.PostingsReader;
import dev.tsdb.index.labels.Matcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Postings intersection on the lists of Prometheus 2.42's BenchmarkIntersect (tsdb/index), one op
 * = intersecting the lists and walking every id of the result:
 *
 * <ul>
 *   <li>LongPostings1: evens below 10M; 175 ids around 5M (step 4); 4.99M..5.1M; 4M..6M. The
 *       result has 175 ids.
 *   <li>LongPostings2: 0..12.5M; 7.5M..12.5M; 9M..20M; 10M..12M. The result has 2M ids.
 *   <li>ManyPostings: 100,000 lists, each 1..99. The result has 99 ids.
 * </ul>
 *
 * Our postings are Roaring bitmaps built once, as the head's {@code MemPostings} holds them
 * (run-optimized); Go's lists are prebuilt slices too. {@link #selectMatchers} goes through our real
 * query path ({@link PostingsForMatchers#select}, one {@code name="v"} matcher per list);
 * {@link #bitmapAnd} is only its intersection step (smallest first, then in place), without the
 * per-matcher bookkeeping, which matters for the 100,000-matcher case.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PromIntersectBench {
  @Param({"LongPostings1", "LongPostings2", "ManyPostings"})
  public String shape;

  RoaringBitmap[] lists;
  List<Matcher> matchers;
  PostingsReader reader;

  @Setup
  public void setup() {
    switch (shape) {
      case "LongPostings1" -> {
        RoaringBitmap b = range(5_000_000, 5_000_100, 4);
        b.or(range(5_090_000, 5_090_600, 4));
        lists = new RoaringBitmap[] {range(0, 10_000_000, 2), b, range(4_990_000, 5_100_000, 1),
            range(4_000_000, 6_000_000, 1)};
      }
      case "LongPostings2" -> lists = new RoaringBitmap[] {range(0, 12_500_000, 1),
          range(7_500_000, 12_500_000, 1), range(9_000_000, 20_000_000, 1),
          range(10_000_000, 12_000_000, 1)};
      case "ManyPostings" -> {
        lists = new RoaringBitmap[100_000];
        for (int i = 0; i < lists.length; i++) {
          lists[i] = range(1, 100, 1); // separate bitmaps, as Go has separate slices
        }
      }
      default -> throw new IllegalArgumentException(shape);
    }
    matchers = new ArrayList<>(lists.length);
    for (int i = 0; i < lists.length; i++) {
      matchers.add(Matcher.eq("l" + i, "v"));
    }
    reader = new ListsReader(lists);
  }

  private static RoaringBitmap range(int from, int to, int step) {
    RoaringBitmap r = new RoaringBitmap();
    for (int i = from; i < to; i += step) {
      r.add(i);
    }
    r.runOptimize();
    return r;
  }

  @Benchmark
  public long selectMatchers() {
    return walk(PostingsForMatchers.select(reader, matchers));
  }

  @Benchmark
  public long bitmapAnd() {
    RoaringBitmap[] sorted = lists.clone();
    Arrays.sort(sorted, Comparator.comparingLong(RoaringBitmap::getLongCardinality));
    RoaringBitmap r = RoaringBitmap.and(sorted[0], sorted[1]);
    for (int i = 2; i < sorted.length && !r.isEmpty(); i++) {
      r.and(sorted[i]);
    }
    return walk(r);
  }

  /** Visits every id, as Go's consumePostings does; the sum keeps the JIT from skipping it. */
  private static long walk(RoaringBitmap r) {
    long sum = 0;
    IntIterator it = r.getIntIterator();
    while (it.hasNext()) {
      sum += it.next();
    }
    return sum;
  }

  /** List i is the postings of label {@code l<i>="v"}. */
  private static final class ListsReader implements PostingsReader {
    private final Map<String, RoaringBitmap> byName = new HashMap<>();
    private final RoaringBitmap all;

    ListsReader(RoaringBitmap[] lists) {
      for (int i = 0; i < lists.length; i++) {
        byName.put("l" + i, lists[i]);
      }
      this.all = RoaringBitmap.or(Arrays.asList(lists).iterator());
    }

    @Override
    public RoaringBitmap allPostings() {
      return all;
    }

    @Override
    public RoaringBitmap postings(String name, String value) {
      return "v".equals(value) ? byName.get(name) : null;
    }

    @Override
    public List<String> sortedValues(String name) {
      return List.of("v");
    }
  }
}
