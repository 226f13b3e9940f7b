package dev.tsdb.api;

import dev.tsdb.labels.Matcher;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The storage operations behind /api/v1/admin/tsdb/* (with --web.enable-admin-api). The API
 * parses and validates the requests as Prometheus does; the storage wiring implements these
 * over the real database and hands them to {@link WebHandler.Builder#adminOps}. Errors become
 * Prometheus's "internal" answers.
 */
public interface AdminOps {
  /** Marks samples of series matching all matchers within [mint, maxt] (ms) as deleted. */
  void deleteSeries(long mint, long maxt, List<Matcher> matchers) throws IOException;

  /** Rewrites blocks to drop deleted data (Prometheus's CleanTombstones). */
  void cleanTombstones() throws IOException;

  /** Where snapshots go: {@code <storage.tsdb.path>/snapshots}. */
  Path snapshotsDir();

  /** Writes a snapshot of all blocks (and the head, if asked) into the existing empty dir. */
  void snapshot(Path dir, boolean withHead) throws IOException;
}
