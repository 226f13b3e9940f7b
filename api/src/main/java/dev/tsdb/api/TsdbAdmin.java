package dev.tsdb.api;

import dev.tsdb.index.labels.Matcher;
import java.io.IOException;
import java.util.List;

/**
 * The storage operations behind /api/v1/admin/tsdb/* (served only with
 * --web.enable-admin-api). Implemented by the server over its database.
 */
public interface TsdbAdmin {
  /** Deletes [mint, maxt] (ms, inclusive) of every series matching all the matchers. */
  void deleteSeries(long mint, long maxt, List<Matcher> matchers) throws IOException;

  /** Removes deleted data from disk. */
  void cleanTombstones() throws IOException;

  /**
   * Writes a snapshot of the database (without the in-memory head when {@code skipHead}) and
   * returns its name: the directory under {@code <data>/snapshots/}.
   */
  String snapshot(boolean skipHead) throws IOException;
}
