package dev.tsdb.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.RemoteWriteStats;
import dev.tsdb.labels.Labels;
import dev.tsdb.storage.Appender;
import dev.tsdb.storage.memory.MemStorage;
import org.junit.jupiter.api.Test;

/** Storage and engine metrics under Prometheus's names. */
class ApiMetricsTest {
  @Test
  void storageStatsAreExportedUnderPrometheusNames() {
    ApiMetrics m = new ApiMetrics();
    StorageStats stats = new StorageStats() {
      @Override
      public long headSeries() {
        return 42;
      }

      @Override
      public long headSeriesCreated() {
        return 50;
      }

      @Override
      public long samplesAppended() {
        return 1000;
      }

      @Override
      public long walFsyncCount() {
        return 4;
      }

      @Override
      public double walFsyncSeconds() {
        return 0.5;
      }

      @Override
      public long blocksLoaded() {
        return 3;
      }

      @Override
      public long compactions() {
        return 7;
      }

      @Override
      public long walStorageSizeBytes() {
        return 12345;
      }
    };
    m.bindStorage(() -> stats, new MemStorage(), new RemoteWriteStats());
    String text = m.scrape();
    for (String line : new String[] {"prometheus_tsdb_head_series 42.0",
        "prometheus_tsdb_head_series_created_total 50",
        "prometheus_tsdb_head_samples_appended_total{type=\"float\"} 1000.0",
        "prometheus_tsdb_wal_fsync_duration_seconds_count 4",
        "prometheus_tsdb_wal_fsync_duration_seconds_sum 0.5",
        "prometheus_tsdb_blocks_loaded 3.0", "prometheus_tsdb_compactions_total 7.0",
        "prometheus_tsdb_wal_storage_size_bytes 12345.0",
        "# TYPE prometheus_tsdb_head_chunks gauge",
        "prometheus_tsdb_out_of_order_samples_total{type=\"float\"} 0.0"}) {
      assertTrue(text.contains(line + "\n"), line + " missing in\n" + text);
    }
  }

  @Test
  void withoutStorageStatsSeriesAreCountedAndAppendsComeFromRemoteWrite() throws Exception {
    ApiMetrics m = new ApiMetrics();
    MemStorage storage = new MemStorage();
    Appender a = storage.appender();
    a.append(0, Labels.of("__name__", "a"), 1000, 1);
    a.append(0, Labels.of("__name__", "b"), 1000, 1);
    a.append(0, Labels.of("__name__", "b", "x", "y"), 2000, 1);
    a.commit();
    RemoteWriteStats rw = new RemoteWriteStats();
    rw.samplesAppended.add(3);
    m.bindStorage(() -> null, storage, rw);
    String text = m.scrape();
    assertTrue(text.contains("prometheus_tsdb_head_series 3.0\n"), text);
    assertTrue(text.contains("prometheus_tsdb_head_samples_appended_total{type=\"float\"} 3.0\n"),
        text);
    assertTrue(text.contains("prometheus_tsdb_lowest_timestamp 1000.0\n"), text);
    assertTrue(text.contains("prometheus_tsdb_head_max_time_seconds 2.0\n"), text);
  }

  @Test
  void queriesAreTimed() {
    ApiMetrics m = new ApiMetrics();
    m.queries().started();
    assertTrue(m.scrape().contains("prometheus_engine_queries 1.0\n"));
    m.queries().finished(2_000_000_000L);
    String text = m.scrape();
    assertTrue(text.contains("prometheus_engine_queries 0.0\n"), text);
    assertTrue(text.contains(
        "prometheus_engine_query_duration_seconds_count{slice=\"inner_eval\"} 1\n"), text);
    assertTrue(text.contains(
        "prometheus_engine_query_duration_seconds_sum{slice=\"inner_eval\"} 2.0\n"), text);
  }
}
