package dev.tsdb.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Segments that readers of a live WAL still need (remote-write queues tailing the WAL): while a
 * hold exists, {@link Wal#truncate} keeps every segment from the lowest index a hold asks for.
 * Checkpointing is not held back, so the head's replay (newest checkpoint and the segments after
 * it) never sees the kept older segments; they only wait for their readers.
 *
 * <p>A reader that must not keep the WAL growing without bound (an endless receiver outage) asks
 * for no more than {@link #firstWithin} allows; segments it gives up are deleted by the next
 * truncation as if it had no hold.
 *
 * <p>Keyed by the WAL directory, so a reader need not reach the {@link Wal} instance the head
 * owns. Thread-safe.
 */
public final class WalRetention {
  private static final Map<Path, Set<Hold>> HOLDS = new ConcurrentHashMap<>();

  private WalRetention() {}

  /** A reader's claim on segments; {@link #close} releases it. */
  public static final class Hold implements AutoCloseable {
    private final Path dir;
    private final IntSupplier firstNeeded;

    private Hold(Path dir, IntSupplier firstNeeded) {
      this.dir = dir;
      this.firstNeeded = firstNeeded;
    }

    @Override
    public void close() {
      Set<Hold> set = HOLDS.get(dir);
      if (set != null) {
        set.remove(this);
      }
    }
  }

  /**
   * Keeps the segments of {@code walDir} from {@code firstNeeded} (asked at each truncation;
   * {@link Integer#MAX_VALUE} to need none) until the hold is closed.
   */
  public static Hold hold(Path walDir, IntSupplier firstNeeded) {
    Path key = key(walDir);
    Hold h = new Hold(key, firstNeeded);
    HOLDS.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(h);
    return h;
  }

  /** The lowest segment index any hold on {@code walDir} needs; MAX_VALUE without holds. */
  public static int firstNeeded(Path walDir) {
    Set<Hold> set = HOLDS.get(key(walDir));
    int min = Integer.MAX_VALUE;
    if (set != null) {
      for (Hold h : set) {
        min = Math.min(min, h.firstNeeded.getAsInt());
      }
    }
    return min;
  }

  /**
   * The lowest segment index such that the segments of {@code walDir} from it to the newest take
   * at most {@code maxBytes} (the newest always counts as kept): how far a reader capped at
   * {@code maxBytes} may hold the WAL. {@link Integer#MAX_VALUE} without segments.
   */
  public static int firstWithin(Path walDir, long maxBytes) throws IOException {
    List<SegmentRef> segs = Segments.list(walDir);
    long total = 0;
    for (int i = segs.size() - 1; i >= 0; i--) {
      try {
        total += Files.size(segs.get(i).path());
      } catch (NoSuchFileException e) {
        return segs.get(i).index() + 1; // deleted while we looked: nothing below it is left
      }
      if (total > maxBytes && i < segs.size() - 1) {
        return segs.get(i + 1).index();
      }
    }
    return segs.isEmpty() ? Integer.MAX_VALUE : segs.get(0).index();
  }

  private static Path key(Path dir) {
    return dir.toAbsolutePath().normalize();
  }
}
