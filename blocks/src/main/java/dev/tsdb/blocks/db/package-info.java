/**
 * The database: head + blocks in a Prometheus-compatible data directory.
 *
 * <h2>Wiring (server / API)</h2>
 * <pre>{@code
 * DbOptions o = new DbOptions()
 *     .retentionTimeMs(15 * DbOptions.DAY)      // --storage.tsdb.retention.time
 *     .retentionSizeBytes(0)                     // --storage.tsdb.retention.size
 *     .minBlockDurationMs(2 * DbOptions.HOUR)    // --storage.tsdb.min-block-duration
 *     .maxBlockDurationMs(0)                     // --storage.tsdb.max-block-duration (0: 10% of retention, <= 31d)
 *     .outOfOrderTimeWindowMs(0)                 // --storage.tsdb.out-of-order-time-window
 *     .noLockfile(false)                         // --storage.tsdb.no-lockfile
 *     .walCompression(true)                      // --storage.tsdb.wal-compression
 *     .maxExemplars(100_000);                    // storage.exemplars.max_exemplars (config file)
 * Database db = Database.create(dataDir, o);     // cheap; db.isReady() == false
 * // start HTTP: /-/ready answers 503 while !db.isReady(); db.replayProgress() in 0..1
 * db.load();                                     // lock, blocks, WAL replay; then ready
 * Storage s = db;                                // appender(), querier(mint, maxt), minTime(), maxTime()
 * ChunkQueryable c = db;                         // chunkQuerier(mint, maxt) for streamed remote read
 * db.delete(mint, maxt, matchers...);            // POST /api/v1/admin/tsdb/delete_series
 * db.cleanTombstones();                          // POST /api/v1/admin/tsdb/clean_tombstones
 * String name = Database.newSnapshotName(Instant.now());
 * db.snapshot(dataDir.resolve("snapshots").resolve(name), !skipHead); // POST .../snapshot
 * ReplayProgress.Status w = db.walReplayStatus(); // GET /api/v1/status/walreplay {min, max, current}
 * ExemplarQueryable e = db;                      // e.selectExemplars(start, end, matcherSets): /api/v1/query_exemplars
 * MetadataQueryable m = db;                      // m.metricMetadata(metric, limit, limitPerMetric): /api/v1/metadata
 * db.setMaxExemplars(n);                         // storage.exemplars.max_exemplars on config reload
 * db.headStats(), db.headChunks(), db.exemplarStats() // prometheus_tsdb_head_* / _exemplar_* metrics
 * TsdbStatus st = db.tsdbStatus(limit);         // GET /api/v1/status/tsdb
 * db.blocks(), db.sizeBytes(), db.headSeries(), db.corruptedBlocksTotal(), ... // metrics
 * db.close();                                    // no compaction at shutdown (as Prometheus)
 * }</pre>
 *
 * <h2>Threads</h2>
 * Appenders and queriers may be used from any number of threads (one appender per writer). One
 * background thread cuts the head, compacts and applies retention every
 * {@link dev.tsdb.blocks.db.DbOptions#compactionIntervalMs} and whenever a commit makes the head
 * cuttable. Queriers must be closed: a head cut waits (bounded) for queriers of the previous
 * view before truncating the head, and a block being deleted waits for its queriers.
 */
package dev.tsdb.blocks.db;
