package dev.tsdb.server;

import dev.tsdb.api.TsdbAdmin;
import dev.tsdb.api.TsdbStatusSource;
import dev.tsdb.blocks.db.Database;
import dev.tsdb.blocks.db.TsdbStatus;
import dev.tsdb.index.labels.Matcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The admin API and /api/v1/status/tsdb served by the {@link Database}. */
final class DbAdmin implements TsdbAdmin, TsdbStatusSource {
  private final Database db;

  DbAdmin(Database db) {
    this.db = db;
  }

  @Override
  public void deleteSeries(long mint, long maxt, List<Matcher> matchers) throws IOException {
    db.delete(mint, maxt, matchers.toArray(new Matcher[0]));
  }

  @Override
  public void cleanTombstones() throws IOException {
    db.cleanTombstones();
  }

  /** As Prometheus: {@code <data>/snapshots/<20060102T150405Z>-<16 hex>}. */
  @Override
  public String snapshot(boolean skipHead) throws IOException {
    String name = Database.newSnapshotName(Instant.now());
    Path dir = db.dir().resolve("snapshots").resolve(name);
    db.snapshot(dir, !skipHead);
    return name;
  }

  @Override
  public Status tsdbStatus(int limit) {
    TsdbStatus s = db.tsdbStatus(limit);
    TsdbStatus.HeadStats h = s.headStats();
    return new Status(new HeadStats(h.numSeries(), h.numLabelPairs(), h.chunkCount(),
        h.minTime(), h.maxTime()), stats(s.seriesCountByMetricName()),
        stats(s.labelValueCountByLabelName()), stats(s.memoryInBytesByLabelName()),
        stats(s.seriesCountByLabelValuePair()));
  }

  private static List<Stat> stats(List<TsdbStatus.Stat> in) {
    List<Stat> out = new ArrayList<>(in.size());
    for (TsdbStatus.Stat s : in) {
      out.add(new Stat(s.name(), s.value()));
    }
    return out;
  }
}
