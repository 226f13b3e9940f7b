package dev.tsdb.wal;

import dev.tsdb.wal.record.ExemplarBatch;
import dev.tsdb.wal.record.HistogramRecordFilter;
import dev.tsdb.wal.record.MetadataBatch;
import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.io.FileOps;
import dev.tsdb.wal.record.RecordDecoder;
import dev.tsdb.wal.record.RecordEncoder;
import dev.tsdb.wal.record.RecordFormatException;
import dev.tsdb.wal.record.RecordType;
import dev.tsdb.wal.record.SampleBatch;
import dev.tsdb.wal.record.SeriesBatch;
import dev.tsdb.wal.record.TombstoneBatch;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import java.util.logging.Logger;

/**
 * WAL checkpoints as Prometheus's tsdb/wlog/checkpoint.go: {@code <wal>/checkpoint.NNNNNNNN}
 * (NNNNNNNN = last segment it covers) is a directory in WAL format holding what is still needed
 * from the previous checkpoint plus segments up to N: series records of live series, samples,
 * exemplars at or after mint, tombstones of live series ending at or after mint, and the latest
 * metadata of each live series.
 *
 * <p>Sequence for the head (each step is crash-safe):
 * <pre>
 * int to = wal.nextSegment() - 1;                       // everything up to 'to' is closed
 * Checkpoint.create(wal, first, to, headHasSeries, mint); // writes checkpoint.to atomically
 * wal.truncate(to + 1);                                 // segments now covered
 * Checkpoint.deleteOlder(wal.dir(), to);                // previous checkpoints
 * </pre>
 * A crash before the rename leaves only a {@code .tmp} directory, removed by the next
 * {@link Wal#open} or create; a crash after it leaves the old segments/checkpoints, which replay
 * ignores ({@link WalReplay} reads the newest checkpoint and only segments after it).
 */
public final class Checkpoint {
  private static final Logger LOG = Logger.getLogger(Checkpoint.class.getName());
  public static final String PREFIX = "checkpoint.";
  public static final String TMP_SUFFIX = ".tmp";
  private static final int METADATA_PER_RECORD = 10_000;

  /** A checkpoint directory and the last segment index it covers. */
  public record Ref(Path dir, int index) {}

  private Checkpoint() {}

  public static Path dirFor(Path walDir, int index) {
    return walDir.resolve(PREFIX + WalFormat.segmentName(index));
  }

  /** Finished checkpoints of {@code walDir}, oldest first (temporary ones are ignored). */
  public static List<Ref> list(Path walDir) throws IOException {
    List<Ref> refs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, PREFIX + "*")) {
      for (Path p : ds) {
        int idx = Segments.parseIndex(p.getFileName().toString().substring(PREFIX.length()));
        if (idx < 0) {
          continue;
        }
        if (!Files.isDirectory(p)) {
          throw new IOException("checkpoint " + p + " is not a directory");
        }
        refs.add(new Ref(p, idx));
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    refs.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return refs;
  }

  /** The newest checkpoint, if any. */
  public static Optional<Ref> last(Path walDir) throws IOException {
    List<Ref> refs = list(walDir);
    return refs.isEmpty() ? Optional.empty() : Optional.of(refs.get(refs.size() - 1));
  }

  /** Deletes checkpoints with an index below {@code index}. */
  public static void deleteOlder(Path walDir, int index) throws IOException {
    boolean deleted = false;
    for (Ref r : list(walDir)) {
      if (r.index() >= index) {
        break;
      }
      deleteRecursively(r.dir());
      deleted = true;
    }
    if (deleted) {
      Segments.fsyncDir(walDir);
    }
  }

  /** Removes {@code checkpoint.*.tmp} directories left by an interrupted checkpoint. */
  public static void deleteTemporary(Path walDir) throws IOException {
    List<Path> tmps = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, PREFIX + "*" + TMP_SUFFIX)) {
      ds.forEach(tmps::add);
    } catch (NoSuchFileException e) {
      return;
    }
    for (Path p : tmps) {
      LOG.info("Removing leftover temporary checkpoint " + p);
      deleteRecursively(p);
    }
  }

  /** {@link #create(Path, int, int, LongPredicate, long, WalOptions)} for a live WAL. */
  public static CheckpointStats create(Wal wal, int from, int to, LongPredicate keep, long mint)
      throws IOException {
    if (to >= wal.currentSegment()) {
      throw new IllegalArgumentException("segment " + to + " is still being written; call nextSegment() first");
    }
    // Counted on the live WAL's metrics; the checkpoint's own segments are not (as Prometheus).
    wal.metrics().checkpointCreations.increment();
    try {
      return create(wal.dir(), from, to, keep, mint,
          WalOptions.DEFAULT.withCompression(wal.options().compression())
              .withFiles(wal.options().files()));
    } catch (IOException | RuntimeException e) {
      wal.metrics().checkpointCreationsFailed.increment();
      throw e;
    }
  }

  /**
   * Writes {@code checkpoint.<to>} from the newest existing checkpoint plus WAL segments
   * {@code [from, to]}. If a checkpoint exists, reading starts right after it ({@code from} must
   * not leave a gap). Series whose ref fails {@code keep} are dropped, as are samples, exemplars
   * and histograms before {@code mint}, and tombstones of dropped series or ending before it.
   *
   * @throws WalCorruptionException if an input is damaged; nothing is written then, since the
   *     head could not know which series records were lost
   */
  public static CheckpointStats create(Path walDir, int from, int to, LongPredicate keep, long mint,
      WalOptions options) throws IOException {
    LOG.info("Creating checkpoint from segment " + from + " to " + to + " mint " + mint + " in " + walDir);
    List<SegmentRef> inputs = new ArrayList<>();
    Optional<Ref> prev = last(walDir);
    if (prev.isPresent()) {
      int next = prev.get().index() + 1;
      if (to < next) {
        throw new IOException("checkpoint " + prev.get().index() + " already covers segment " + to);
      }
      if (from > next) {
        throw new IOException("unexpected gap to last checkpoint: expected segment " + next
            + ", requested " + from);
      }
      from = next; // segments below the checkpoint should not exist; ignore them if they do
      inputs.addAll(Segments.list(prev.get().dir()));
    }
    inputs.addAll(Segments.list(walDir, from, to));

    deleteTemporary(walDir);
    Path target = dirFor(walDir, to);
    Path tmp = walDir.resolve(target.getFileName() + TMP_SUFFIX);
    FileOps files = options.files();
    files.createDirectories(tmp);
    CheckpointStats stats = new CheckpointStats();
    boolean renamed = false;
    try {
      try (WalReader reader = WalReader.open(inputs);
          Wal out = Wal.open(tmp, options.withSegmentSize(WalFormat.DEFAULT_SEGMENT_SIZE))) {
        new Filter(keep, mint, stats, out).run(reader);
      }
      files.syncDirectory(tmp);
      if (Files.exists(target)) {
        deleteRecursively(target); // only possible if a crash hit between rename and fsync
      }
      files.rename(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      renamed = true;
      files.syncDirectory(walDir);
    } finally {
      if (!renamed) {
        deleteRecursively(tmp);
      }
    }
    LOG.info("Checkpoint " + target.getFileName() + " done: " + stats);
    return stats;
  }

  /** Decodes, filters and re-encodes records into the checkpoint WAL. */
  private static final class Filter {
    private record Meta(byte type, String unit, String help) {}

    private final LongPredicate keep;
    private final long mint;
    private final CheckpointStats stats;
    private final Wal out;
    private final RecordDecoder dec = new RecordDecoder();
    private final EncodeBuffer buf = new EncodeBuffer(64 * 1024);
    private final SeriesBatch series = new SeriesBatch();
    private final SeriesBatch keptSeries = new SeriesBatch();
    private final SampleBatch samples = new SampleBatch(1024);
    private final TombstoneBatch tombstones = new TombstoneBatch();
    private final ExemplarBatch exemplars = new ExemplarBatch();
    private final MetadataBatch metadata = new MetadataBatch();
    private final HistogramRecordFilter histograms = new HistogramRecordFilter();
    private final Map<Long, Meta> latestMetadata = new TreeMap<>();

    Filter(LongPredicate keep, long mint, CheckpointStats stats, Wal out) {
      this.keep = keep;
      this.mint = mint;
      this.stats = stats;
      this.out = out;
    }

    void run(WalReader reader) throws IOException {
      while (reader.next()) {
        try {
          filter(reader.record(), reader.recordLength());
        } catch (RecordFormatException e) {
          throw reader.corruptionAtRecord("decode " + RecordType.name(RecordType.of(reader.record(),
              reader.recordLength())) + " record: " + e.getMessage(), e);
        }
      }
      writeMetadata();
    }

    private void filter(byte[] rec, int len) throws IOException {
      byte type = RecordType.of(rec, len);
      switch (type) {
        case RecordType.SERIES:
          dec.series(rec, len, series);
          keptSeries.clear();
          for (int i = 0; i < series.size; i++) {
            if (keep.test(series.refs[i])) {
              keptSeries.add(series.refs[i], series.labels[i]);
            }
          }
          stats.totalSeries += series.size;
          stats.droppedSeries += series.size - keptSeries.size;
          if (keptSeries.size > 0) {
            RecordEncoder.series(keptSeries, buf);
            out.append(buf);
          }
          break;
        case RecordType.SAMPLES:
        case RecordType.SAMPLES_V2: {
          dec.samples(rec, len, samples);
          int n = 0;
          for (int i = 0; i < samples.size; i++) { // compact in place
            if (samples.ts[i] >= mint) {
              samples.refs[n] = samples.refs[i];
              samples.ts[n] = samples.ts[i];
              samples.vs[n] = samples.vs[i];
              n++;
            }
          }
          stats.totalSamples += samples.size;
          stats.droppedSamples += samples.size - n;
          if (n > 0) {
            RecordEncoder.samples(samples.refs, samples.ts, samples.vs, 0, n, buf);
            out.append(buf);
          }
          break;
        }
        case RecordType.TOMBSTONES: {
          dec.tombstones(rec, len, tombstones);
          int n = 0;
          for (int i = 0; i < tombstones.size; i++) {
            if (tombstones.maxts[i] >= mint && keep.test(tombstones.refs[i])) {
              tombstones.refs[n] = tombstones.refs[i];
              tombstones.mints[n] = tombstones.mints[i];
              tombstones.maxts[n] = tombstones.maxts[i];
              n++;
            }
          }
          stats.totalTombstones += tombstones.size;
          stats.droppedTombstones += tombstones.size - n;
          if (n > 0) {
            tombstones.size = n;
            RecordEncoder.tombstones(tombstones, buf);
            out.append(buf);
          }
          break;
        }
        case RecordType.EXEMPLARS: {
          dec.exemplars(rec, len, exemplars);
          int n = 0;
          for (int i = 0; i < exemplars.size; i++) {
            if (exemplars.ts[i] >= mint) {
              exemplars.refs[n] = exemplars.refs[i];
              exemplars.ts[n] = exemplars.ts[i];
              exemplars.vs[n] = exemplars.vs[i];
              exemplars.labels[n] = exemplars.labels[i];
              n++;
            }
          }
          stats.totalExemplars += exemplars.size;
          stats.droppedExemplars += exemplars.size - n;
          if (n > 0) {
            exemplars.size = n;
            RecordEncoder.exemplars(exemplars, buf);
            out.append(buf);
          }
          break;
        }
        case RecordType.METADATA:
          dec.metadata(rec, len, metadata);
          for (int i = 0; i < metadata.size; i++) {
            if (keep.test(metadata.refs[i])) {
              // Only the latest metadata of each live series is carried over.
              latestMetadata.put(metadata.refs[i],
                  new Meta(metadata.types[i], metadata.units[i], metadata.helps[i]));
            }
          }
          stats.totalMetadata += metadata.size;
          break;
        case RecordType.HISTOGRAM_SAMPLES:
        case RecordType.FLOAT_HISTOGRAM_SAMPLES:
        case RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES:
        case RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES:
          histograms.filter(rec, len, mint, buf);
          stats.totalSamples += histograms.total();
          stats.droppedSamples += histograms.total() - histograms.kept();
          if (histograms.kept() > 0) {
            out.append(buf);
          }
          break;
        default:
          // Mmap markers belong to the WBL, V2 histograms and unknown types we cannot filter.
          stats.droppedRecords++;
      }
    }

    private void writeMetadata() throws IOException {
      stats.droppedMetadata = stats.totalMetadata - latestMetadata.size();
      metadata.clear();
      for (Map.Entry<Long, Meta> e : latestMetadata.entrySet()) {
        Meta m = e.getValue();
        metadata.add(e.getKey(), m.type(), m.unit(), m.help());
        if (metadata.size == METADATA_PER_RECORD) {
          RecordEncoder.metadata(metadata, buf);
          out.append(buf);
          metadata.clear();
        }
      }
      if (metadata.size > 0) {
        RecordEncoder.metadata(metadata, buf);
        out.append(buf);
      }
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        if (exc != null) {
          throw exc;
        }
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
