package dev.tsdb.blocks.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Logger;

/**
 * The data directory's {@code lock} file, held with an exclusive POSIX record lock (fcntl, as
 * Prometheus's fileutil.Flock takes it on Linux), so two databases, ours or Prometheus, never
 * open one directory at once. A file left by a crashed process is simply locked again.
 */
final class LockFile implements AutoCloseable {
  static final String NAME = "lock";
  private static final Logger LOG = Logger.getLogger(LockFile.class.getName());

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private LockFile(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  static LockFile acquire(Path dataDir) throws IOException {
    Path file = dataDir.resolve(NAME);
    boolean existed = Files.exists(file);
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null; // held by this very process
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (l == null) {
      ch.close();
      throw new IOException("lock DB directory " + dataDir
          + ": resource temporarily unavailable (is another Prometheus or tsdb running on it?)");
    }
    if (existed) {
      LOG.warning("A lockfile from a previous execution already existed. It was replaced: "
          + file);
    }
    return new LockFile(file, ch, l);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
      Files.deleteIfExists(file);
    }
  }
}
