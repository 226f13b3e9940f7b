package dev.tsdb.server;

import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ExemplarQueryable;
import dev.tsdb.index.storage.ExemplarSeries;
import dev.tsdb.index.storage.MetadataQueryable;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Storage;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Lets the HTTP layer be built before the storage is open (the listener starts first so that
 * /-/healthy answers during WAL replay). Data endpoints are gated on readiness, so the storage is
 * there whenever they call in. Exemplars and metadata are the storage's when it keeps them (the
 * database does), else none.
 */
final class DeferredStorage implements Storage, ExemplarQueryable, MetadataQueryable {
  private final Supplier<Storage> current;

  DeferredStorage(Supplier<Storage> current) {
    this.current = current;
  }

  private Storage get() {
    Storage s = current.get();
    if (s == null) {
      throw new IllegalStateException("TSDB not ready");
    }
    return s;
  }

  @Override
  public Appender appender() {
    return get().appender();
  }

  @Override
  public Querier querier(long mint, long maxt) throws IOException {
    return get().querier(mint, maxt);
  }

  @Override
  public long minTime() {
    return get().minTime();
  }

  @Override
  public long maxTime() {
    return get().maxTime();
  }

  @Override
  public List<ExemplarSeries> selectExemplars(long start, long end,
      List<List<Matcher>> matcherSets) throws IOException {
    return get() instanceof ExemplarQueryable e ? e.selectExemplars(start, end, matcherSets)
        : List.of();
  }

  @Override
  public Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit,
      int limitPerMetric) {
    return get() instanceof MetadataQueryable m ? m.metricMetadata(metric, limit, limitPerMetric)
        : Map.of();
  }

  @Override
  public void close() {
    // The server closes the real storage itself.
  }
}
