package dev.tsdb.wal;

import static dev.tsdb.wal.WalFormat.HEADER_SIZE;
import static dev.tsdb.wal.WalFormat.PAGE_SIZE;

import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.io.FileOps;
import io.airlift.compress.snappy.SnappyCompressor;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * Appends records to a Prometheus-format write-ahead log directory (see {@link WalFormat}).
 *
 * <p>Lifecycle: replay and, if needed, {@link WalRepair repair} the directory first, then
 * {@link #open}. Like Prometheus, opening always starts a fresh segment after the last existing
 * one, so a torn tail of an old segment is never appended to.
 *
 * <p>Writes go into a 32 KiB page buffer. {@code log(...)} calls write the page's new bytes to
 * the file at the end of the call (a process crash loses nothing that was logged; an OS crash
 * may lose what was not {@link #sync synced}). {@code append(...)} calls only buffer, for
 * batching several records into one write; follow them with {@link #flush} or a {@code log}.
 *
 * <p>After an I/O error while writing (full disk, EIO, failed fsync) the failed call throws and
 * nothing it wrote counts: before the next write the WAL cuts its segment back to where the last
 * successful call ended and continues from there (see {@link #recover}), so writing resumes
 * without a restart once the disk accepts data again. Until the cut succeeds every write is
 * refused; a crash meanwhile leaves a torn tail that replay repairs at the same place.
 *
 * <p>Thread-safe: all methods take one lock, so records from concurrent callers never
 * interleave. When a segment fills up, the next one is started and the full one is fsynced and
 * closed on a background thread (it does not block the appender). If that fsync fails, the
 * acknowledged records of the full segment may not be on disk: the next write fails the WAL as
 * a write error does, and recovery fsyncs the segment again before writing resumes.
 */
public final class Wal implements Closeable {
  private static final Logger LOG = Logger.getLogger(Wal.class.getName());
  private static final byte[] ZEROS = new byte[PAGE_SIZE];

  private final Path dir;
  private final WalOptions options;
  private final int pagesPerSegment;
  private final ReentrantLock lock = new ReentrantLock();
  private final ByteBuffer page = ByteBuffer.allocateDirect(PAGE_SIZE); // big-endian
  private final CRC32C crc = new CRC32C();
  private final ExecutorService segmentSyncer;
  private final SnappyCompressor snappy;
  private final WalMetrics metrics;
  private final FileOps files;

  private FileChannel segment;
  private int segmentIndex;
  private int donePages; // complete pages already in the current segment
  private int alloc; // bytes of the page that hold fragments (or padding)
  private int flushed; // bytes of the page already written to the file
  private byte[] directCopy = new byte[0]; // heap copy of a record given as a direct buffer
  private byte[] compressed = new byte[0]; // snappy output
  private boolean closed;
  private IOException failure; // write error not yet recovered from; see recover()
  private int refusedSinceFailure; // writes refused because recovery failed (for the log)
  // Where the last successful call left the file: every byte before it belongs to complete
  // records of acknowledged calls, everything after it to a call that failed.
  private int goodSegment;
  private int goodPages; // complete pages of the good segment at the good point
  private int goodFlushed; // bytes of the next page at the good point
  // Rolled segments whose fsync (on the background thread) failed, by index: they hold
  // acknowledged records that may not be durable, until recovery syncs them again.
  private final ConcurrentSkipListMap<Integer, IOException> unsynced =
      new ConcurrentSkipListMap<>();

  private Wal(Path dir, WalOptions options) {
    this.dir = dir;
    this.options = options;
    this.pagesPerSegment = options.segmentSize() / PAGE_SIZE;
    this.snappy = options.compression() == WalOptions.Compression.SNAPPY ? new SnappyCompressor() : null;
    this.metrics = options.metrics() != null ? options.metrics() : new WalMetrics();
    this.files = options.files();
    this.segmentSyncer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "wal-segment-sync");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens {@code dir} (e.g. {@code <data>/wal}) for appending with default options. */
  public static Wal open(Path dir) throws IOException {
    return open(dir, WalOptions.DEFAULT);
  }

  /**
   * Opens {@code dir} for appending: creates it if missing, removes leftover temporary
   * checkpoints, and starts a new segment numbered one past the last existing one.
   */
  public static Wal open(Path dir, WalOptions options) throws IOException {
    options.files().createDirectories(dir);
    Checkpoint.deleteTemporary(dir);
    SegmentRange range = Segments.range(dir);
    Wal wal = new Wal(dir, options);
    try {
      wal.startSegment(range.isEmpty() ? 0 : range.last() + 1);
      wal.markGood();
    } catch (IOException | RuntimeException e) {
      wal.segmentSyncer.shutdownNow();
      throw e;
    }
    return wal;
  }

  public Path dir() {
    return dir;
  }

  public WalOptions options() {
    return options;
  }

  /** This WAL's counters (the options' instance when given). */
  public WalMetrics metrics() {
    return metrics;
  }

  /** fsyncs a segment file, timing it for prometheus_tsdb_wal_fsync_duration_seconds. */
  private void fsync(FileChannel ch) throws IOException {
    long t0 = System.nanoTime();
    ch.force(false);
    metrics.fsynced(System.nanoTime() - t0);
  }

  /** Index of the segment currently written to. */
  public int currentSegment() {
    lock.lock();
    try {
      return segmentIndex;
    } finally {
      lock.unlock();
    }
  }

  /** First and last segment index existing on disk. */
  public SegmentRange segments() throws IOException {
    return Segments.range(dir);
  }

  // ---- logging -------------------------------------------------------------------------------

  /** Writes each array as one record, then flushes the page to the file. */
  public void log(byte[]... records) throws IOException {
    lock.lock();
    try {
      ensureOpen();
      for (byte[] r : records) {
        logRecord(r, 0, r.length);
      }
      flushPartial();
      markGood();
    } finally {
      lock.unlock();
    }
  }

  /** Writes {@code rec[off, off+len)} as one record and flushes. */
  public void log(byte[] rec, int off, int len) throws IOException {
    lock.lock();
    try {
      ensureOpen();
      logRecord(rec, off, len);
      flushPartial();
      markGood();
    } finally {
      lock.unlock();
    }
  }

  /** Writes the buffer's contents as one record and flushes. */
  public void log(EncodeBuffer rec) throws IOException {
    log(rec.array(), 0, rec.length());
  }

  /**
   * Writes the bytes between the buffer's position and limit as one record and flushes. The
   * buffer's position is not changed.
   */
  public void log(ByteBuffer rec) throws IOException {
    lock.lock();
    try {
      ensureOpen();
      appendBuffer(rec);
      flushPartial();
      markGood();
    } finally {
      lock.unlock();
    }
  }

  /** Buffers one record without writing the page; see the class comment. */
  public void append(byte[] rec, int off, int len) throws IOException {
    lock.lock();
    try {
      ensureOpen();
      logRecord(rec, off, len);
    } finally {
      lock.unlock();
    }
  }

  public void append(EncodeBuffer rec) throws IOException {
    append(rec.array(), 0, rec.length());
  }

  public void append(ByteBuffer rec) throws IOException {
    lock.lock();
    try {
      ensureOpen();
      appendBuffer(rec);
    } finally {
      lock.unlock();
    }
  }

  /** Writes buffered bytes of the current page to the file (no fsync). */
  public void flush() throws IOException {
    lock.lock();
    try {
      ensureOpen();
      flushPartial();
      markGood();
    } finally {
      lock.unlock();
    }
  }

  /** Flushes and fsyncs the current segment. */
  public void sync() throws IOException {
    lock.lock();
    try {
      ensureOpen();
      flushPartial();
      try {
        fsync(segment);
      } catch (IOException e) {
        // The kernel may have dropped the dirty pages: what this call wrote is not durable.
        throw failed(e, "fsync");
      }
      markGood();
    } finally {
      lock.unlock();
    }
  }

  private void appendBuffer(ByteBuffer rec) throws IOException {
    int len = rec.remaining();
    if (rec.hasArray()) {
      logRecord(rec.array(), rec.arrayOffset() + rec.position(), len);
    } else {
      if (directCopy.length < len) {
        directCopy = new byte[Math.max(len, directCopy.length * 2)];
      }
      rec.get(rec.position(), directCopy, 0, len);
      logRecord(directCopy, 0, len);
    }
  }

  /**
   * A failed write may leave part of a record in the file. Anything appended after it would be
   * cut by repair at the next start, so the WAL stops accepting writes instead: callers see the
   * failure at once, and a restart repairs the log at exactly the torn record.
   */
  private void logRecord(byte[] rec, int off, int len) throws IOException {
    try {
      writeRecord(rec, off, len);
    } catch (IOException e) {
      throw failed(e, "write");
    }
  }

  private void writeRecord(byte[] rec, int off, int len) throws IOException {
    if (pageFull()) {
      flushPage(true);
    }
    int flag = 0;
    if (snappy != null && len > 0) {
      int max = snappy.maxCompressedLength(len);
      if (compressed.length < max) {
        compressed = new byte[Math.max(max, compressed.length * 2)];
      }
      int clen = snappy.compress(rec, off, len, compressed, 0, compressed.length);
      // Like Prometheus, only keep compression when it saves space.
      if (clen < len) {
        rec = compressed;
        off = 0;
        len = clen;
        flag = WalFormat.SNAPPY_FLAG;
      }
    }

    // Records never span segments, so a full segment can be deleted without tearing a record.
    long left = (PAGE_SIZE - alloc - HEADER_SIZE)
        + (long) (PAGE_SIZE - HEADER_SIZE) * (pagesPerSegment - donePages - 1);
    boolean segmentFull = donePages >= pagesPerSegment;
    if ((len > left || segmentFull) && (donePages > 0 || alloc > 0)) {
      rollSegment(true);
    }

    boolean first = true;
    do {
      int room = PAGE_SIZE - alloc - HEADER_SIZE;
      int l = Math.min(len, room);
      boolean last = l == len;
      int type = first ? (last ? WalFormat.TYPE_FULL : WalFormat.TYPE_FIRST)
          : (last ? WalFormat.TYPE_LAST : WalFormat.TYPE_MIDDLE);
      crc.reset();
      crc.update(rec, off, l);
      page.put(alloc, (byte) (type | flag));
      page.putShort(alloc + 1, (short) l);
      page.putInt(alloc + 3, (int) crc.getValue());
      page.put(alloc + HEADER_SIZE, rec, off, l);
      alloc += l + HEADER_SIZE;
      if (pageFull()) {
        flushPage(true);
      }
      off += l;
      len -= l;
      first = false;
    } while (len > 0);
  }

  private boolean pageFull() {
    return PAGE_SIZE - alloc < HEADER_SIZE;
  }

  private void flushPartial() throws IOException {
    if (alloc > flushed) {
      try {
        flushPage(false);
      } catch (IOException e) {
        throw failed(e, "write");
      }
    }
  }

  /** Writes the unwritten part of the page; when clearing, pads it with zeros to the end. */
  private void flushPage(boolean clear) throws IOException {
    if (clear) {
      alloc = PAGE_SIZE; // the page is zeroed beyond the fragments, so this writes the padding
    }
    page.limit(alloc).position(flushed);
    while (page.hasRemaining()) {
      flushed += segment.write(page);
    }
    page.clear();
    metrics.pageFlushes.increment();
    if (clear) {
      page.put(0, ZEROS, 0, PAGE_SIZE);
      alloc = 0;
      flushed = 0;
      donePages++;
      metrics.completedPages.increment();
    }
  }

  // ---- segments ------------------------------------------------------------------------------

  /**
   * Closes the current segment (padding its last page, fsync) and starts the next one; returns
   * the new segment's index. Call before checkpointing so all data is in closed segments.
   */
  public int nextSegment() throws IOException {
    lock.lock();
    try {
      ensureOpen();
      try {
        rollSegment(false);
      } catch (IOException e) {
        throw failed(e, "segment roll");
      }
      markGood();
      return segmentIndex;
    } finally {
      lock.unlock();
    }
  }

  private void rollSegment(boolean async) throws IOException {
    if (alloc > 0) {
      flushPage(true);
    }
    FileChannel prev = segment;
    int prevIndex = segmentIndex;
    startSegment(segmentIndex + 1);
    Runnable closePrev = () -> {
      try (prev) {
        fsync(prev);
      } catch (IOException e) {
        LOG.log(Level.SEVERE, "sync of WAL segment " + prevIndex + " in " + dir + " failed; the"
            + " next write fails the WAL until the segment is synced again", e);
        unsynced.put(prevIndex, e);
      }
    };
    if (async) {
      segmentSyncer.execute(closePrev);
    } else {
      closePrev.run();
    }
  }

  private void startSegment(int index) throws IOException {
    Path p = WalFormat.segmentPath(dir, index);
    FileChannel ch = files.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND);
    try {
      files.syncDirectory(dir);
      long size = ch.size();
      if (size % PAGE_SIZE != 0) {
        throw new IOException("segment " + p + " exists with a partial page; repair first");
      }
      segment = ch;
      segmentIndex = index;
      metrics.segmentStarted(index);
      donePages = (int) (size / PAGE_SIZE);
      alloc = 0;
      flushed = 0;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Deletes all segments with an index below {@code firstKept} (never the current one), as
   * Prometheus's WL.Truncate. After a checkpoint up to segment N, call {@code truncate(N + 1)}.
   * Segments a {@link WalRetention} hold still needs are kept (replay ignores segments older
   * than the newest checkpoint).
   */
  public void truncate(int firstKept) throws IOException {
    metrics.truncations.increment();
    try {
      int current = currentSegment();
      int limit = Math.min(Math.min(firstKept, current), WalRetention.firstNeeded(dir));
      boolean deleted = false;
      for (SegmentRef r : Segments.list(dir)) {
        if (r.index() >= limit) {
          break;
        }
        Files.deleteIfExists(r.path());
        deleted = true;
      }
      if (deleted) {
        files.syncDirectory(dir);
      }
    } catch (IOException | RuntimeException e) {
      metrics.truncationsFailed.increment();
      throw e;
    }
  }

  /** Total bytes of all files in the WAL directory (segments and checkpoints). */
  public long sizeBytes() throws IOException {
    try (var s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException("WAL " + dir + " is closed");
    }
    if (failure == null && !unsynced.isEmpty()) {
      Map.Entry<Integer, IOException> first = unsynced.firstEntry();
      throw failed(first.getValue(), "fsync of full segment " + first.getKey());
    }
    if (failure != null) {
      recoverOrRefuse();
    }
  }

  /** Records the end of a successful call: the point {@link #recover} cuts back to. */
  private void markGood() {
    goodSegment = segmentIndex;
    goodPages = donePages;
    goodFlushed = flushed;
  }

  private long goodOffset() {
    return (long) goodPages * PAGE_SIZE + goodFlushed;
  }

  /** Remembers a failed write (counted, logged once per episode) and returns it to throw. */
  private IOException failed(IOException e, String what) {
    metrics.writesFailed.increment();
    if (failure == null) {
      LOG.log(Level.SEVERE, "WAL " + what + " failed in segment " + segmentIndex + " of " + dir
          + ": " + e + ". The failed write is not acknowledged; the WAL keeps every earlier write"
          + " (up to segment " + goodSegment + " offset " + goodOffset() + ") and cuts back to"
          + " there before the next write.");
      refusedSinceFailure = 0;
    }
    failure = e;
    return e;
  }

  private void recoverOrRefuse() throws IOException {
    try {
      recover();
    } catch (IOException | RuntimeException e) {
      metrics.writesFailed.increment();
      if (refusedSinceFailure++ == 0) {
        LOG.log(Level.WARNING, "WAL " + dir + " cannot recover from the write error yet ("
            + e + "); writes are refused until it can. Data up to segment " + goodSegment
            + " offset " + goodOffset() + " is kept.");
      }
      IOException refused = new IOException("WAL " + dir + " refuses writes: recovery from "
          + failure + " failed: " + e, e);
      refused.addSuppressed(failure);
      throw refused;
    }
  }

  /**
   * Makes the WAL writable again after a failed call. Whatever that call wrote (possibly a torn
   * record) lies after the good point: the good segment is cut back to it and zero-padded to its
   * page end (the segment stays page-aligned, as readers and {@link #startSegment} expect; zeros
   * read as an empty page rest), segments the failed call started are deleted, and writing
   * continues in the good segment from its next page. Overwriting with zeros before extending
   * the file keeps the space needed on a full disk at a minimum. Idempotent: a failure here
   * leaves the WAL failed and the next write tries again.
   */
  private void recover() throws IOException {
    syncFullSegmentsAgain();
    segment.close(); // closing twice is a no-op
    for (SegmentRef r : Segments.list(dir)) {
      if (r.index() > goodSegment) {
        Files.deleteIfExists(r.path());
      }
    }
    long pageEnd = (goodOffset() + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE;
    Path p = WalFormat.segmentPath(dir, goodSegment);
    int next = goodSegment;
    try (FileChannel ch = files.open(p, StandardOpenOption.WRITE)) {
      if (ch.size() > pageEnd) {
        ch.truncate(pageEnd);
      }
      ByteBuffer zeros = ByteBuffer.wrap(ZEROS, 0, (int) (pageEnd - goodOffset()));
      long pos = goodOffset();
      while (zeros.hasRemaining()) {
        pos += ch.write(zeros, pos);
      }
      fsync(ch);
    } catch (NoSuchFileException e) {
      next = goodSegment + 1; // deleted meanwhile (truncated after a checkpoint): start anew
    }
    files.syncDirectory(dir);
    page.clear();
    page.put(0, ZEROS, 0, PAGE_SIZE);
    startSegment(next);
    markGood();
    LOG.warning("WAL " + dir + " recovered from the write error (" + failure + ") after "
        + refusedSinceFailure + " refused writes: segment " + goodSegment + " now ends at "
        + goodOffset() + " bytes, every acknowledged write is kept; writing continues.");
    failure = null;
    refusedSinceFailure = 0;
    metrics.recoveries.increment();
  }

  /**
   * fsyncs again the full segments whose background fsync failed (one truncated away since has
   * nothing left to keep). Whether a failed fsync's data is still on disk cannot be known; the
   * retry is what makes what the page cache still holds durable.
   */
  private void syncFullSegmentsAgain() throws IOException {
    for (Integer index : unsynced.keySet()) {
      try (FileChannel ch = files.open(WalFormat.segmentPath(dir, index),
          StandardOpenOption.WRITE)) {
        fsync(ch);
      } catch (NoSuchFileException e) {
        // deleted after a checkpoint: nothing of it is needed any more
      }
      unsynced.remove(index);
    }
  }

  /** Pads and writes the last page, waits for background segment syncs, fsyncs and closes. */
  @Override
  public void close() throws IOException {
    lock.lock();
    try {
      if (closed) {
        return;
      }
      try {
        if (failure == null && !unsynced.isEmpty()) {
          failure = unsynced.firstEntry().getValue();
        }
        if (failure != null) {
          recover(); // never pad a torn record into the segment
        }
        // Pad the final page, as Prometheus does, so the segment ends on a page boundary.
        if (alloc > 0) {
          flushPage(true);
        }
        fsync(segment);
      } finally {
        closed = true;
        segment.close();
        segmentSyncer.shutdown();
        try {
          if (!segmentSyncer.awaitTermination(5, TimeUnit.MINUTES)) {
            LOG.warning("timed out waiting for WAL segment syncs in " + dir);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
