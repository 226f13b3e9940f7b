package dev.tsdb.testkit.faults;

import java.io.IOException;

/** The disk errors {@link FaultyFiles} injects, worded as the JDK reports the real ones. */
public enum Fault {
  /**
   * The filesystem is full: a write crossing the byte budget writes what fits (a short write,
   * as write(2) does) and the next write throws.
   */
  ENOSPC("No space left on device"),
  /** An I/O error: the operation throws without writing anything. */
  EIO("Input/output error");

  private final String message;

  Fault(String message) {
    this.message = message;
  }

  /** The exception the JDK throws for this errno. */
  public IOException exception() {
    return new IOException(message);
  }
}
