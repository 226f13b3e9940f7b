package dev.tsdb.blocks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which blocks retention removes, as Prometheus decides it:
 *
 * <ul>
 *   <li>by time: walking from the newest block (by start time), the first block that ends more
 *       than {@code retentionMs} before the newest block's end, and every older one;
 *   <li>by size: walking from the newest block, once the running total (starting from the bytes
 *       other parts of the DB use, e.g. WAL and head chunks) exceeds {@code maxBytes}, that block
 *       and every older one.
 * </ul>
 */
public final class Retention {
  private Retention() {}

  /** A block as retention sees it. */
  public record Candidate(String ulid, long minTime, long maxTime, long sizeBytes) {
    public static Candidate of(Block b) {
      return new Candidate(b.ulid(), b.minTime(), b.maxTime(), b.sizeBytes());
    }
  }

  /**
   * ULIDs of the blocks to delete.
   *
   * @param retentionMs time retention; 0 or less disables it
   * @param maxBytes size retention; 0 or less disables it
   * @param otherBytes bytes counted against the size limit before any block
   */
  public static Set<String> beyond(List<Candidate> blocks, long retentionMs, long maxBytes,
      long otherBytes) {
    List<Candidate> newestFirst = new ArrayList<>(blocks);
    newestFirst.sort(Comparator.comparingLong(Candidate::minTime).reversed());
    Set<String> out = new LinkedHashSet<>();
    if (newestFirst.isEmpty()) {
      return out;
    }
    if (retentionMs > 0) {
      long newest = newestFirst.get(0).maxTime();
      for (int i = 1; i < newestFirst.size(); i++) {
        if (newest - newestFirst.get(i).maxTime() > retentionMs) {
          for (int j = i; j < newestFirst.size(); j++) {
            out.add(newestFirst.get(j).ulid());
          }
          break;
        }
      }
    }
    if (maxBytes > 0) {
      long total = otherBytes;
      boolean over = false;
      for (Candidate c : newestFirst) {
        total += c.sizeBytes();
        if (over || total > maxBytes) {
          over = true;
          out.add(c.ulid());
        }
      }
    }
    return out;
  }
}
