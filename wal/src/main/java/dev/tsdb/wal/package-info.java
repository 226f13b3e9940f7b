/**
 * Write-ahead log in Prometheus's on-disk format (tsdb/docs/format/wal.md), so a data directory
 * can be shared with Prometheus: we replay its {@code wal/} and it replays ours.
 *
 * <h2>Layout</h2>
 * <pre>
 * &lt;data&gt;/wal/00000000 ...             segments (see {@link dev.tsdb.wal.WalFormat})
 * &lt;data&gt;/wal/checkpoint.00000041/     a checkpoint covering segments up to 41, itself a WAL dir
 * &lt;data&gt;/wal/checkpoint.00000041.tmp  an unfinished checkpoint; removed on open/replay
 * </pre>
 *
 * <h2>How the head uses it</h2>
 * <pre>{@code
 * Path walDir = dataDir.resolve("wal");
 * // 1. Startup: replay checkpoint + later segments; damage is repaired (cut) automatically.
 * RecordDispatcher d = new RecordDispatcher(symbolTable::intern, new RecordDispatcher.Sink() {
 *   public void series(SeriesBatch b) { ... create series b.refs[i] with b.labels[i] ... }
 *   public void samples(SampleBatch b) { ... append b.refs[i], b.ts[i], b.vs[i] ... }
 *   // tombstones, exemplars, metadata likewise
 * });
 * WalReplay.Result r = WalReplay.replay(walDir, d);
 * // d.skippedHistogramSamples(): native histograms are skipped (counted), not ingested yet.
 * // A raw WalReplay.RecordHandler with RecordDecoder works too, for custom dispatch.
 * // 2. Then open for writing (always starts a new segment).
 * Wal wal = Wal.open(walDir);
 * // 3. On commit: series records first (new series), then samples; one flush per commit.
 * RecordEncoder.series(newSeries, buf);  wal.append(buf);
 * RecordEncoder.samples(pending, buf);   wal.append(buf);
 * wal.flush();   // or wal.log(buf) for a single record; wal.sync() when durability is needed
 * // 4. On head truncation (e.g. after compaction to a block), as Prometheus:
 * SegmentRange range = wal.segments();
 * int last = wal.nextSegment() - 1;                       // or use the first 2/3 of segments
 * Checkpoint.create(wal, range.first(), last, head::hasSeries, mint);
 * wal.truncate(last + 1);
 * Checkpoint.deleteOlder(walDir, last);
 * }</pre>
 *
 * <h2>Threading</h2>
 * {@link dev.tsdb.wal.Wal} is thread-safe (one lock; records of concurrent callers never
 * interleave, and an {@code append...flush} sequence from one thread may interleave with other
 * threads' records only at record boundaries). {@link dev.tsdb.wal.WalReader},
 * {@link dev.tsdb.wal.record.RecordDecoder}, {@link dev.tsdb.wal.record.EncodeBuffer} and the
 * batches are single-threaded: use one per thread. {@link dev.tsdb.wal.record.RecordEncoder} is
 * stateless.
 *
 * <h2>Compression</h2>
 * Reading handles uncompressed, Snappy (flag 0x08; Prometheus 2.x writes it by default) and
 * zstd (flag 0x10; Prometheus 3.x option) records. Writing is uncompressed by default;
 * {@link dev.tsdb.wal.WalOptions.Compression#SNAPPY} matches Prometheus's
 * {@code --storage.tsdb.wal-compression}.
 */
package dev.tsdb.wal;
