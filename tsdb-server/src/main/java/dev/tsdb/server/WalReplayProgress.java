package dev.tsdb.server;

import dev.tsdb.api.StatusSource;
import dev.tsdb.blocks.db.Database;
import dev.tsdb.head.ReplayProgress;

/**
 * /api/v1/status/walreplay: the WAL segments the head replays (min, max) and the last one done
 * (current), straight from the database's replay progress.
 */
final class WalReplayProgress {
  private final Database db;

  private WalReplayProgress(Database db) {
    this.db = db;
  }

  static WalReplayProgress of(Database db) {
    return new WalReplayProgress(db);
  }

  StatusSource.WalReplay current() {
    ReplayProgress.Status s = db.walReplayStatus();
    return new StatusSource.WalReplay(s.min(), s.max(), s.current());
  }
}
