package dev.tsdb.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.BlockTestData.Samples;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.testkit.MemStorage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactionTest {
  @TempDir
  Path dir;

  private static final long H = 3_600_000L;

  /** Splits each series' samples into [from, to) pieces, one map per piece. */
  private static Map<Labels, List<ChunkMeta>> slice(Map<Labels, Samples> data, long from, long to) {
    Map<Labels, List<ChunkMeta>> out = new LinkedHashMap<>();
    data.forEach((l, s) -> {
      int a = 0;
      while (a < s.ts().length && s.ts()[a] < from) {
        a++;
      }
      int b = a;
      while (b < s.ts().length && s.ts()[b] < to) {
        b++;
      }
      if (b > a) {
        out.put(l, BlockTestData.chunks(new Samples(Arrays.copyOfRange(s.ts(), a, b),
            Arrays.copyOfRange(s.vs(), a, b)), 120));
      }
    });
    return out;
  }

  private static MemStorage oracle(Map<Labels, Samples> data) throws Exception {
    MemStorage m = new MemStorage();
    Appender a = m.appender();
    data.forEach((l, s) -> {
      for (int i = 0; i < s.ts().length; i++) {
        try {
          a.append(0, l, s.ts()[i], s.vs()[i]);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    a.commit();
    return m;
  }

  @Test
  void mergesAdjacentAndOverlappingBlocks() throws Exception {
    Map<Labels, Samples> data = BlockTestData.generate(150, 2000, 5);
    long start = data.values().stream().mapToLong(s -> s.ts()[0]).min().orElseThrow();
    Path src = dir.resolve("src");
    // Three adjacent pieces, plus one overlapping the middle (duplicates the same samples).
    List<BlockMeta> metas = new ArrayList<>();
    metas.add(BlockWriter.write(src, slice(data, Long.MIN_VALUE, start + 2 * H)));
    metas.add(BlockWriter.write(src, slice(data, start + 2 * H, start + 4 * H)));
    metas.add(BlockWriter.write(src, slice(data, start + 4 * H, Long.MAX_VALUE)));
    metas.add(BlockWriter.write(src, slice(data, start + 3 * H, start + 5 * H)));
    List<Block> blocks = new ArrayList<>();
    for (BlockMeta m : metas) {
      blocks.add(Block.open(src.resolve(m.ulid())));
    }
    // Delete a range in one source: compaction must drop those samples.
    blocks.get(1).delete(start + 2 * H + 600_000, start + 2 * H + 1_200_000,
        Matcher.eq("job", "api"));
    BlockMeta out = Compactor.compact(dir.resolve("out"), blocks);
    for (Block b : blocks) {
      b.close();
    }
    assertEquals(2, out.compaction().level());
    assertEquals(4, out.compaction().parents().size());
    assertEquals(4, out.compaction().sources().size());

    Map<Labels, Samples> expected = new LinkedHashMap<>();
    data.forEach((l, s) -> {
      List<Integer> keep = new ArrayList<>();
      for (int i = 0; i < s.ts().length; i++) {
        long t = s.ts()[i];
        boolean deleted = l.get("job").equals("api") && t >= start + 2 * H + 600_000
            && t <= start + 2 * H + 1_200_000;
        if (!deleted) {
          keep.add(i);
        }
      }
      expected.put(l, new Samples(keep.stream().mapToLong(i -> s.ts()[i]).toArray(),
          keep.stream().mapToDouble(i -> s.vs()[i]).toArray()));
    });
    MemStorage oracle = oracle(expected);
    try (Block b = Block.open(dir.resolve("out").resolve(out.ulid()), Block.OpenOptions.PARANOID);
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        Querier o = oracle.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Matcher all = Matcher.re("__name__", ".+");
      assertEquals(BlockTestData.read(o, all), BlockTestData.read(q, all));
      long samples = expected.values().stream().mapToLong(s -> s.ts().length).sum();
      assertEquals(samples, b.meta().stats().numSamples());
    }
  }

  @Test
  void compactingOnlyDeletedDataWritesNothing() throws Exception {
    Map<Labels, Samples> data = BlockTestData.generate(10, 50, 6);
    BlockMeta m = BlockWriter.write(dir, BlockTestData.chunked(data, 120));
    try (Block b = Block.open(dir.resolve(m.ulid()))) {
      b.delete(Long.MIN_VALUE, Long.MAX_VALUE, Matcher.re("__name__", ".+"));
      assertNull(Compactor.compact(dir.resolve("out"), List.of(b)));
    }
  }

  private static BlockMeta meta(String id, long min, long max) {
    return BlockMeta.fresh(id, min, max, new BlockMeta.Stats(1, 1, 1));
  }

  @Test
  void plannerFollowsPrometheusLevels() {
    long[] ranges = LeveledPlanner.exponentialRanges(2 * H, 10, 31 * 24 * H);
    assertEquals(List.of(2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H),
        Arrays.stream(ranges).boxed().toList());
    LeveledPlanner p = new LeveledPlanner(Arrays.copyOf(ranges, 3));

    // Three 2h blocks filling a 6h window, plus a newer one: the first three are compacted.
    List<BlockMeta> bs = List.of(meta("a", 0, 2 * H), meta("b", 2 * H, 4 * H),
        meta("c", 4 * H, 6 * H), meta("d", 6 * H, 8 * H));
    assertEquals(List.of("a", "b", "c"), p.plan(bs).stream().map(BlockMeta::ulid).toList());
    // Only two in the window and the newest excluded: the window is not complete yet...
    assertEquals(List.of(), p.plan(List.of(meta("a", 0, 2 * H), meta("b", 2 * H, 4 * H),
        meta("d", 6 * H, 8 * H)).subList(0, 2)));
    // ...but a window wholly before the newest remaining block is compacted even with gaps.
    assertEquals(List.of("a", "b"), p.plan(List.of(meta("a", 0, 2 * H), meta("b", 2 * H, 4 * H),
        meta("d", 6 * H, 8 * H), meta("e", 8 * H, 10 * H))).stream().map(BlockMeta::ulid)
        .toList());
    // Overlaps come first.
    assertEquals(List.of("x", "y"), p.plan(List.of(meta("x", 0, 2 * H), meta("y", H, 3 * H),
        meta("z", 10 * H, 12 * H))).stream().map(BlockMeta::ulid).toList());
    // Nothing to do with a single block.
    assertEquals(List.of(), p.plan(List.of(meta("a", 0, 2 * H))));
    // 6h blocks fill an 18h window.
    assertEquals(List.of("a", "b", "c"), p.plan(List.of(meta("a", 0, 6 * H),
        meta("b", 6 * H, 12 * H), meta("c", 12 * H, 18 * H), meta("d", 18 * H, 20 * H)))
        .stream().map(BlockMeta::ulid).toList());
    // A big block with many tombstones is rewritten alone.
    BlockMeta tomb = new BlockMeta("t", 0, 18 * H, new BlockMeta.Stats(10, 0, 0, 10, 10, 5),
        new BlockMeta.Compaction(3, List.of("t")), 1);
    assertEquals(List.of("t"), p.plan(List.of(tomb, meta("n", 18 * H, 20 * H))).stream()
        .map(BlockMeta::ulid).toList());
  }

  @Test
  void retentionByTimeAndSize() {
    List<Retention.Candidate> bs = List.of(
        new Retention.Candidate("old", 0, 2 * H, 100),
        new Retention.Candidate("mid", 2 * H, 4 * H, 100),
        new Retention.Candidate("new", 4 * H, 6 * H, 100));
    assertEquals(Set.of("old"), Retention.beyond(bs, 3 * H, 0, 0));
    assertEquals(Set.of(), Retention.beyond(bs, 4 * H, 0, 0));
    assertEquals(Set.of("old", "mid"), Retention.beyond(bs, H, 0, 0));
    assertEquals(Set.of("old"), Retention.beyond(bs, 0, 250, 0));
    assertEquals(Set.of("old", "mid"), Retention.beyond(bs, 0, 250, 60));
    assertEquals(Set.of(), Retention.beyond(bs, 0, 300, 0));
    assertTrue(Retention.beyond(List.of(), H, 1, 0).isEmpty());
  }
}
