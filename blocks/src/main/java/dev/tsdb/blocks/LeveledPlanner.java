package dev.tsdb.blocks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses which blocks to compact next, as Prometheus's leveled compactor does:
 *
 * <ol>
 *   <li>blocks whose time ranges overlap are merged first (vertical compaction);
 *   <li>the newest block is left alone, so a freshly persisted head block stays a full block
 *       period before it is merged (backups can copy it piecewise);
 *   <li>for each range after the first (2h, 6h, 18h, ...), blocks are grouped by aligned windows
 *       of that range; a group of at least two blocks is chosen when it spans the full window or
 *       lies entirely before the newest remaining block;
 *   <li>otherwise a block holding tombstones for over 5% of its series is rewritten alone, if
 *       its range is large enough (or it is entirely deleted).
 * </ol>
 */
public final class LeveledPlanner {
  private final long[] ranges;

  /** @param ranges ascending block ranges in ms; ranges[0] is the head block range */
  public LeveledPlanner(long[] ranges) {
    if (ranges.length == 0) {
      throw new IllegalArgumentException("no ranges");
    }
    this.ranges = ranges.clone();
  }

  /**
   * Prometheus's default ranges: {@code base}, then multiplied by 3 each step, {@code steps}
   * values in all, none above {@code max} (e.g. 2h, 6h, 18h, 54h, ... capped at 10% of the
   * retention or 31 days).
   */
  public static long[] exponentialRanges(long base, int steps, long max) {
    List<Long> out = new ArrayList<>();
    long r = base;
    for (int i = 0; i < steps && r <= max; i++) {
      out.add(r);
      r *= 3;
    }
    if (out.isEmpty()) {
      out.add(Math.min(base, max));
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  public long[] ranges() {
    return ranges.clone();
  }

  /** The metas of the blocks to compact together next; empty when nothing is due. */
  public List<BlockMeta> plan(List<BlockMeta> blocks) {
    List<BlockMeta> ds = new ArrayList<>(blocks);
    ds.sort(Comparator.comparingLong(BlockMeta::minTime));
    List<BlockMeta> overlapping = overlapping(ds);
    if (!overlapping.isEmpty()) {
      return overlapping;
    }
    if (ds.size() < 1) {
      return List.of();
    }
    ds = ds.subList(0, ds.size() - 1); // leave the newest block
    List<BlockMeta> res = selectDirs(ds);
    if (!res.isEmpty()) {
      return res;
    }
    for (int i = ds.size() - 1; i >= 0; i--) {
      BlockMeta m = ds.get(i);
      // Only blocks big enough to be worth rewriting; small ones get compacted away anyway.
      if (m.maxTime() - m.minTime() < ranges[ranges.length / 2]) {
        break;
      }
      if ((double) m.stats().numTombstones() / (m.stats().numSeries() + 1) > 0.05) {
        return List.of(m);
      }
    }
    return List.of();
  }

  /** The first run of blocks that overlap each other, in time order. */
  static List<BlockMeta> overlapping(List<BlockMeta> sorted) {
    List<BlockMeta> out = new ArrayList<>();
    long globalMaxt = Long.MIN_VALUE;
    for (int i = 0; i < sorted.size(); i++) {
      BlockMeta m = sorted.get(i);
      if (i > 0 && m.minTime() < globalMaxt) {
        if (out.isEmpty()) {
          out.add(sorted.get(i - 1));
        }
        out.add(m);
      } else if (!out.isEmpty()) {
        break;
      }
      if (i == 0 || m.maxTime() > globalMaxt) {
        globalMaxt = m.maxTime();
      }
    }
    return out;
  }

  private List<BlockMeta> selectDirs(List<BlockMeta> ds) {
    if (ranges.length < 2 || ds.isEmpty()) {
      return List.of();
    }
    long highTime = ds.get(ds.size() - 1).minTime();
    for (int r = 1; r < ranges.length; r++) {
      long iv = ranges[r];
      for (List<BlockMeta> p : splitByRange(ds, iv)) {
        long mint = p.get(0).minTime();
        long maxt = p.get(p.size() - 1).maxTime();
        boolean failed = p.stream().anyMatch(m -> m.compaction().failed());
        if (!failed && (maxt - mint == iv || maxt <= highTime) && p.size() > 1) {
          return p;
        }
      }
    }
    return List.of();
  }

  /**
   * Groups blocks (sorted by minTime) by the aligned window of width {@code tr} they fall in;
   * blocks not entirely inside one window are left out.
   */
  static List<List<BlockMeta>> splitByRange(List<BlockMeta> ds, long tr) {
    List<List<BlockMeta>> splits = new ArrayList<>();
    int i = 0;
    while (i < ds.size()) {
      BlockMeta m = ds.get(i);
      long t0 = AlignedWindows.start(m.minTime(), tr);
      if (m.maxTime() > t0 + tr) {
        i++;
        continue;
      }
      List<BlockMeta> group = new ArrayList<>();
      for (; i < ds.size(); i++) {
        BlockMeta x = ds.get(i);
        if (x.minTime() < t0 || x.maxTime() > t0 + tr) {
          break;
        }
        group.add(x);
      }
      if (!group.isEmpty()) {
        splits.add(group);
      }
    }
    return splits;
  }
}
