package dev.tsdb.blocks;

import dev.tsdb.index.storage.CorruptionException;
import java.nio.file.Path;

/**
 * A block directory failed its integrity checks (missing or unparsable files, checksum
 * mismatches, truncation). The DB moves such blocks aside instead of serving them.
 */
public class CorruptBlockException extends CorruptionException {
  private final Path dir;

  public CorruptBlockException(Path dir, String message, Throwable cause) {
    super(dir + ": " + message, cause);
    this.dir = dir;
  }

  /** The block directory. */
  public Path dir() {
    return dir;
  }
}
