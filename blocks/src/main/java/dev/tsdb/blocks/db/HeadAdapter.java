package dev.tsdb.blocks.db;

import dev.tsdb.head.Head;
import dev.tsdb.head.HeadOptions;
import dev.tsdb.head.HeadStats;
import dev.tsdb.head.ReplayProgress;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ExemplarSeries;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.wal.WalMetrics;
import dev.tsdb.wal.WalOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Presents {@link Head} as a {@link DbHead}: maps the database options to the head's, truncates
 * the WAL after the head and measures its disk usage; everything else is the head's own.
 */
final class HeadAdapter implements DbHead {
  private final Head head;
  private final Path walDir; // null: no WAL

  HeadAdapter(Head head, Path walDir) {
    this.head = head;
    this.walDir = walDir;
  }

  private static HeadOptions headOptions(DbOptions opts) {
    WalOptions wo = WalOptions.DEFAULT.withFiles(opts.fileOps);
    if (opts.walSegmentSizeBytes > 0) {
      wo = wo.withSegmentSize(opts.walSegmentSizeBytes);
    }
    if (opts.walCompression) {
      wo = wo.withCompression(WalOptions.Compression.SNAPPY);
    }
    return new HeadOptions()
        .chunkRangeMs(opts.minBlockDurationMs)
        .outOfOrderTimeWindowMs(opts.outOfOrderTimeWindowMs)
        .maxFutureMs(opts.maxFutureMs)
        .clock(opts.clock)
        .walOptions(wo)
        .walSyncPerCommit(opts.walSyncPerCommit)
        .maxExemplars(opts.maxExemplars)
        .chunkSnapshotOnShutdown(opts.chunkSnapshotOnShutdown);
  }

  static HeadAdapter inMemory(DbOptions opts) {
    return new HeadAdapter(new Head(headOptions(opts)), null);
  }

  /**
   * Opens the head of {@code dataDir}, replaying {@code dataDir/wal} and reporting the replay's
   * progress to {@code progress}.
   */
  static HeadAdapter open(Path dataDir, DbOptions opts, ReplayProgress progress,
      WalMetrics walMetrics) throws IOException {
    if (!opts.walEnabled) {
      return inMemory(opts);
    }
    HeadOptions ho = headOptions(opts).replayProgress(progress);
    Head head = Head.open(dataDir, ho.walOptions(ho.walOptions.withMetrics(walMetrics)));
    if (head.walRepaired()) {
      walMetrics.corruptions.increment();
    }
    return new HeadAdapter(head, dataDir.resolve("wal"));
  }

  Head head() {
    return head;
  }

  @Override
  public Appender appender() {
    return head.appender();
  }

  @Override
  public Querier querier(long mint, long maxt) {
    return head.querier(mint, maxt);
  }

  @Override
  public ChunkQuerier chunkQuerier(long mint, long maxt) {
    return head.chunkQuerier(mint, maxt);
  }

  @Override
  public void delete(long mint, long maxt, Matcher... matchers) throws IOException {
    head.delete(mint, maxt, matchers);
  }

  /** Number of series with head tombstones (for tests). */
  int tombstonedSeries() {
    return head.tombstonedSeries();
  }

  @Override
  public void prepareTruncation(long mint) {
    head.prepareTruncation(mint);
  }

  @Override
  public synchronized void truncateBefore(long mint) throws IOException {
    head.truncateBefore(mint);
    // Out-of-order samples below mint committed during the cut stay in the head (and the WAL)
    // until the next cut persists them.
    head.truncateWal(Math.min(mint, head.minTime()));
  }

  @Override
  public int numSeries() {
    return head.numSeries();
  }

  @Override
  public void forEachSeries(java.util.function.Consumer<Labels> action) {
    head.forEachSeries((l, id) -> action.accept(l));
  }

  @Override
  public long numChunks() {
    return head.numChunks();
  }

  @Override
  public HeadStats stats() {
    return head.stats();
  }

  @Override
  public ReplayProgress.Status walReplayStatus() {
    return head.replayProgress().status();
  }

  @Override
  public long diskBytes() {
    if (walDir == null) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(walDir)) {
      return s.mapToLong(p -> p.toFile().isFile() ? p.toFile().length() : 0).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0; // a segment deleted while walking: sizes are best effort
    }
  }

  @Override
  public List<ExemplarSeries> selectExemplars(long start, long end,
      List<List<Matcher>> matcherSets) {
    return head.selectExemplars(start, end, matcherSets);
  }

  @Override
  public Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit,
      int limitPerMetric) {
    return head.metricMetadata(metric, limit, limitPerMetric);
  }

  @Override
  public void setMaxExemplars(int max) {
    head.resizeExemplars(max);
  }

  @Override
  public long[] exemplarStats() {
    return new long[] {head.numExemplars(), head.seriesWithExemplars(), head.exemplarsAppended(),
        head.maxExemplars()};
  }

  @Override
  public double replayProgress() {
    return head.replayProgress().fraction();
  }

  @Override
  public long minTime() {
    return head.minTime();
  }

  @Override
  public long maxTime() {
    return head.maxTime();
  }

  @Override
  public void close() throws IOException {
    head.close();
  }
}
