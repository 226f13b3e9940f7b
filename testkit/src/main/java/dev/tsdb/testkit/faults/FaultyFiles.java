package dev.tsdb.testkit.faults;

import dev.tsdb.index.io.FileOps;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A {@link FileOps} for tests in the spirit of Lucene's MockDirectoryWrapper: real files, but
 * writes, fsyncs and opens for writing of the files a predicate selects fail once armed.
 *
 * <ul>
 *   <li>{@link #failWritesAfter}: after a budget of bytes, writes fail with the fault. With
 *       {@link Fault#ENOSPC} the write that crosses the budget is short (writes what fits), as
 *       on a filling disk, so callers see a partial write first.
 *   <li>{@link #failFsyncs}: {@code force} throws (what the caller wrote stays in the file, as
 *       the page cache keeps it).
 *   <li>{@link #failOpens}: opening a selected file for writing throws.
 *   <li>{@link #failDirectorySyncs}, {@link #failRenames}, {@link #failMkdirs}: fsyncing a
 *       selected directory, renaming a selected file or directory (source or target
 *       selected; nothing is renamed) and creating a selected directory throw.
 *   <li>{@link #heal}: the disk works again (space freed, error gone).
 * </ul>
 * Thread-safe; the counters say how many faults were injected.
 */
public final class FaultyFiles implements FileOps {
  private volatile Predicate<Path> writesOf = p -> false;
  private volatile Fault writeFault;
  private final AtomicLong writeBudget = new AtomicLong(Long.MAX_VALUE);
  private volatile Predicate<Path> fsyncsOf = p -> false;
  private volatile Fault fsyncFault;
  private volatile Predicate<Path> opensOf = p -> false;
  private volatile Fault openFault;
  private volatile Predicate<Path> dirSyncsOf = p -> false;
  private volatile Fault dirSyncFault;
  private volatile Predicate<Path> renamesOf = p -> false;
  private volatile Fault renameFault;
  private volatile Predicate<Path> mkdirsOf = p -> false;
  private volatile Fault mkdirFault;
  private final AtomicLong injected = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();

  /** Selects files whose name is {@code name} or whose path contains it as a component. */
  public static Predicate<Path> named(String name) {
    return p -> {
      for (Path c : p) {
        if (c.toString().equals(name)) {
          return true;
        }
      }
      return false;
    };
  }

  /** Selects every file. */
  public static Predicate<Path> any() {
    return p -> true;
  }

  /** Writes to files {@code which} selects fail with {@code f} after {@code bytes} more bytes. */
  public FaultyFiles failWritesAfter(long bytes, Predicate<Path> which, Fault f) {
    writeBudget.set(bytes);
    writeFault = f;
    writesOf = which;
    return this;
  }

  /** fsyncs of files {@code which} selects throw {@code f}. */
  public FaultyFiles failFsyncs(Predicate<Path> which, Fault f) {
    fsyncFault = f;
    fsyncsOf = which;
    return this;
  }

  /** Opening files {@code which} selects for writing (or creating) throws {@code f}. */
  public FaultyFiles failOpens(Predicate<Path> which, Fault f) {
    openFault = f;
    opensOf = which;
    return this;
  }

  /** fsyncs of directories {@code which} selects throw {@code f}. */
  public FaultyFiles failDirectorySyncs(Predicate<Path> which, Fault f) {
    dirSyncFault = f;
    dirSyncsOf = which;
    return this;
  }

  /** Renames whose source or target {@code which} selects throw {@code f}. */
  public FaultyFiles failRenames(Predicate<Path> which, Fault f) {
    renameFault = f;
    renamesOf = which;
    return this;
  }

  /** Creating directories {@code which} selects (when missing) throws {@code f}. */
  public FaultyFiles failMkdirs(Predicate<Path> which, Fault f) {
    mkdirFault = f;
    mkdirsOf = which;
    return this;
  }

  /** Disarms every fault: the disk works again. */
  public FaultyFiles heal() {
    writesOf = p -> false;
    fsyncsOf = p -> false;
    opensOf = p -> false;
    dirSyncsOf = p -> false;
    renamesOf = p -> false;
    mkdirsOf = p -> false;
    writeBudget.set(Long.MAX_VALUE);
    return this;
  }

  /** Faults thrown (and short writes done) so far. */
  public long injected() {
    return injected.get();
  }

  /** Bytes written through this instance's channels. */
  public long bytesWritten() {
    return bytesWritten.get();
  }

  @Override
  public FileChannel open(Path file, OpenOption... options) throws IOException {
    Set<OpenOption> opts = Set.of(options);
    boolean writing = opts.contains(StandardOpenOption.WRITE)
        || opts.contains(StandardOpenOption.APPEND)
        || opts.contains(StandardOpenOption.CREATE)
        || opts.contains(StandardOpenOption.CREATE_NEW);
    if (writing && opensOf.test(file)) {
      throw inject(openFault);
    }
    return new FaultyChannel(FileChannel.open(file, options), file, this);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    if (!Files.isDirectory(dir) && mkdirsOf.test(dir)) {
      throw inject(mkdirFault);
    }
    FileOps.super.createDirectories(dir);
  }

  @Override
  public void rename(Path source, Path target, CopyOption... options) throws IOException {
    if (renamesOf.test(source) || renamesOf.test(target)) {
      throw inject(renameFault);
    }
    FileOps.super.rename(source, target, options);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    if (dirSyncsOf.test(dir)) {
      throw inject(dirSyncFault);
    }
    FileOps.super.syncDirectory(dir);
  }

  IOException inject(Fault f) {
    injected.incrementAndGet();
    return f.exception();
  }

  /**
   * How many of {@code wanted} bytes a write to {@code file} may do now; throws when none.
   * Takes the bytes from the budget when the file is selected.
   */
  int allowWrite(Path file, int wanted) throws IOException {
    if (wanted == 0 || !writesOf.test(file)) {
      return wanted;
    }
    Fault f = writeFault;
    while (true) {
      long left = writeBudget.get();
      if (left <= 0 || (f == Fault.EIO && left < wanted)) {
        throw inject(f);
      }
      int n = (int) Math.min(left, wanted);
      if (writeBudget.compareAndSet(left, left - n)) {
        if (n < wanted) {
          injected.incrementAndGet(); // a short write
        }
        return n;
      }
    }
  }

  void wrote(long n) {
    bytesWritten.addAndGet(n);
  }

  void checkFsync(Path file) throws IOException {
    if (fsyncsOf.test(file)) {
      throw inject(fsyncFault);
    }
  }
}
