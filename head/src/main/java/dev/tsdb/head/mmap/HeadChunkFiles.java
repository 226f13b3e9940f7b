package dev.tsdb.head.mmap;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The {@code chunks_head/} directory: full head chunks written in Prometheus's format
 * ({@link HeadChunkFormat}) and read back through memory mappings, so their bytes live in the
 * page cache instead of the Java heap.
 *
 * <p>Opening scans every segment ({@link #open}); the first damaged record (bad CRC, cut short,
 * out of order for its series) and everything after it are removed, so the WAL replay restores
 * those samples, as Prometheus does. New chunks go to a new segment, cut at 128 MiB.
 *
 * <p>Writes come from one thread at a time (the head's chunk write queue); reads from any thread
 * through {@link #buffer}. Segments deleted by {@link #truncateBefore} stay readable until the
 * next truncation (their files are unlinked at once), so a query that took references just before
 * does not fail; the JVM unmaps a mapping once nothing holds its buffer.
 */
public final class HeadChunkFiles implements Closeable {
  private static final Logger LOG = Logger.getLogger(HeadChunkFiles.class.getName());

  /** Receives each valid chunk found at open, in file order. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * One chunk record; the encoding still carries the out-of-order bit.
     *
     * @throws CorruptChunkException when the chunk does not fit those before it; the segments
     *     are then cut at this chunk as for a bad CRC
     */
    void chunk(long seriesRef, long chunkRef, long mint, long maxt, byte encoding, int numSamples,
        int dataLen) throws CorruptChunkException;
  }

  /**
   * Our own file beside the segments (Prometheus lists only numeric names): the time the head was
   * last truncated at, so chunks older than that still in a kept segment are not loaded again.
   */
  static final String FLOOR_FILE = "truncated_before";

  private final Path dir;
  private final Map<Integer, HeadChunkSegment> segments = new ConcurrentHashMap<>();
  private List<HeadChunkSegment> retired = new ArrayList<>(); // guarded by this
  private HeadChunkSegment active; // guarded by this
  private int nextSeq; // guarded by this
  private boolean cutOnNextWrite; // guarded by this
  private boolean closed; // guarded by this
  private final String repair;
  private final long floor;

  private HeadChunkFiles(Path dir, int nextSeq, String repair, long floor) {
    this.dir = dir;
    this.nextSeq = nextSeq;
    this.repair = repair;
    this.floor = floor;
  }

  /** Time of the last {@link #truncateBefore} before this open (Long.MIN_VALUE: none). */
  public long floor() {
    return floor;
  }

  /** Reads the floor; any damage just means no floor (the chunks are then all loaded). */
  private static long readFloor(Path dir) {
    try {
      byte[] b = Files.readAllBytes(dir.resolve(FLOOR_FILE));
      return b.length == 8 ? ByteBuffer.wrap(b).getLong() : Long.MIN_VALUE;
    } catch (IOException e) {
      return Long.MIN_VALUE;
    }
  }

  private void writeFloor(long mint) throws IOException {
    Path tmp = dir.resolve(FLOOR_FILE + ".tmp");
    Files.write(tmp, ByteBuffer.allocate(8).putLong(0, mint).array());
    Files.move(tmp, dir.resolve(FLOOR_FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Opens (creating) {@code dir}, hands every valid chunk ending at or after the floor (see
   * {@link #floor()}) to {@code v} and repairs damage: the
   * damaged segment is cut at the first bad record (deleted if none is left before it) and every
   * later segment is deleted.
   */
  public static HeadChunkFiles open(Path dir, Visitor v) throws IOException {
    Files.createDirectories(dir);
    long floor = readFloor(dir);
    Visitor kept = (seriesRef, chunkRef, mint, maxt, encoding, numSamples, dataLen) -> {
      if (maxt >= floor) {
        v.chunk(seriesRef, chunkRef, mint, maxt, encoding, numSamples, dataLen);
      }
    };
    TreeMap<Integer, Path> files = list(dir);
    List<HeadChunkSegment> loaded = new ArrayList<>();
    String repair = null;
    Integer expected = null;
    for (Map.Entry<Integer, Path> e : files.entrySet()) {
      int seq = e.getKey();
      Path p = e.getValue();
      if (repair != null) {
        Files.delete(p);
        continue;
      }
      if (expected != null && seq != expected) {
        repair = "segment " + HeadChunkFormat.fileName(expected) + " is missing";
        Files.delete(p);
        continue;
      }
      expected = seq + 1;
      HeadChunkScanner.Result r;
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
        long size = Math.min(ch.size(), HeadChunkFormat.MAX_SEGMENT_SIZE);
        ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        r = HeadChunkScanner.scan(seq, b, (int) size, kept);
        if (r.error() != null) {
          repair = p.getFileName() + ": " + r.error();
        }
        if (r.end() < ch.size() && r.end() >= HeadChunkFormat.HEADER_SIZE) {
          try (FileChannel w = FileChannel.open(p, StandardOpenOption.WRITE)) {
            w.truncate(r.end()); // damage, or the zeroed tail of a segment being written
          }
        }
      }
      if (r.end() <= HeadChunkFormat.HEADER_SIZE) {
        Files.delete(p); // nothing valid: as Prometheus drops an empty last segment
      } else {
        loaded.add(HeadChunkSegment.load(p, seq, r.end(), r.maxT()));
      }
    }
    if (repair != null) {
      LOG.warning("Head chunks in " + dir + " were damaged and cut from the damage on ("
          + repair + "); the WAL replay restores those samples");
    }
    // New segments follow the last kept one directly: a gap would read as a lost segment.
    int nextSeq = !loaded.isEmpty() ? loaded.get(loaded.size() - 1).seq + 1
        : files.isEmpty() ? 1 : files.firstKey();
    HeadChunkFiles f = new HeadChunkFiles(dir, nextSeq, repair, floor);
    for (HeadChunkSegment s : loaded) {
      f.segments.put(s.seq, s);
    }
    return f;
  }

  private static TreeMap<Integer, Path> list(Path dir) throws IOException {
    TreeMap<Integer, Path> out = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.matches("[0-9]{1,9}") && Files.isRegularFile(p)) {
          out.put(Integer.parseInt(n), p);
        }
      }
    }
    return out;
  }

  /** What {@link #open} repaired, or null. */
  public String repair() {
    return repair;
  }

  /**
   * Writes one chunk and returns its reference; the bytes are readable through {@link #buffer}
   * once this returns.
   */
  public synchronized long write(long seriesRef, long mint, long maxt, byte encoding, byte[] data,
      int off, int len) throws IOException {
    if (closed) {
      throw new IOException("head chunk files are closed");
    }
    if (active == null || cutOnNextWrite || !active.fits(len)) {
      cut();
    }
    int offset = active.append(seriesRef, mint, maxt, encoding, data, off, len);
    return HeadChunkFormat.ref(active.seq, offset);
  }

  private void cut() throws IOException {
    if (active != null) {
      active.finish();
    }
    HeadChunkSegment s = HeadChunkSegment.create(dir, nextSeq++);
    segments.put(s.seq, s);
    active = s;
    cutOnNextWrite = false;
  }

  /**
   * The mapping of the segment {@code chunkRef} points into (absolute reads only), or null when
   * that segment is gone.
   */
  public ByteBuffer buffer(long chunkRef) {
    HeadChunkSegment s = segments.get(HeadChunkFormat.segment(chunkRef));
    return s == null ? null : s.buffer();
  }

  /** Offset of the data of the chunk at {@code chunkRef} holding {@code dataLen} bytes. */
  public static int dataOffset(long chunkRef, int dataLen) {
    return HeadChunkFormat.offset(chunkRef) + HeadChunkFormat.dataOffset(dataLen);
  }

  /**
   * Deletes the oldest segments whose chunks all end before {@code mint} (the head no longer
   * references them; only a prefix, so the remaining sequence has no gap), except the one being
   * written, which is cut on the next write when it qualifies so a
   * later truncation can delete it. Returns the number of files deleted.
   */
  public synchronized int truncateBefore(long mint) throws IOException {
    writeFloor(mint);
    for (HeadChunkSegment s : retired) {
      segments.remove(s.seq, s); // one truncation later: no query still reads them
    }
    retired = new ArrayList<>();
    int deleted = 0;
    for (HeadChunkSegment s : new TreeMap<>(segments).values()) {
      if (s == active) {
        if (!s.isEmpty() && s.maxT() < mint) {
          cutOnNextWrite = true;
        }
        continue;
      }
      if (s.maxT() >= mint) {
        break;
      }
      Files.deleteIfExists(s.path);
      retired.add(s);
      deleted++;
    }
    return deleted;
  }

  /** Segments on disk (the one being written included). */
  public synchronized int numSegments() {
    return segments.size() - retired.size();
  }

  /** Finishes the segment being written (forced to disk, cut to its content). */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (active != null) {
      active.finish();
      if (active.isEmpty()) {
        Files.deleteIfExists(active.path);
      }
      active = null;
    }
  }
}
