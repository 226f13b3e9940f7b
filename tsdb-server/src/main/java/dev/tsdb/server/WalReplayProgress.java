package dev.tsdb.server;

import dev.tsdb.api.StatusSource;
import dev.tsdb.db.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * /api/v1/status/walreplay: the WAL segments found before replay (min, max) and how far replay
 * has come, as a segment number (current reaches max once the database is loaded).
 */
final class WalReplayProgress {
  private final Database db;
  private final int min;
  private final int max;

  private WalReplayProgress(Database db, int min, int max) {
    this.db = db;
    this.min = min;
    this.max = max;
  }

  /** Looks at {@code <data>/wal} now, before the database replays it. */
  static WalReplayProgress before(Database db, Path dataDir) {
    int lo = 0;
    int hi = 0;
    Path wal = dataDir.resolve("wal");
    if (Files.isDirectory(wal)) {
      int[] range = {Integer.MAX_VALUE, -1};
      try (Stream<Path> s = Files.list(wal)) {
        s.map(p -> p.getFileName().toString())
            .filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit) && n.length() < 10)
            .mapToInt(Integer::parseInt)
            .forEach(i -> {
              range[0] = Math.min(range[0], i);
              range[1] = Math.max(range[1], i);
            });
      } catch (IOException e) {
        // unreadable: reported as no segments; the replay itself will report the problem
      }
      if (range[1] >= 0) {
        lo = range[0];
        hi = range[1];
      }
    }
    return new WalReplayProgress(db, lo, hi);
  }

  StatusSource.WalReplay current() {
    double p = db.replayProgress();
    int cur = db.isReady() ? max : min + (int) Math.floor(p * (max - min));
    return new StatusSource.WalReplay(min, max, cur);
  }
}
