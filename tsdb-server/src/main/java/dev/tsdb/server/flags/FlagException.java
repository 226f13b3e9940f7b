package dev.tsdb.server.flags;

/** A command line problem; the message is the one-line reason printed before exiting with 2. */
public final class FlagException extends Exception {
  public FlagException(String message) {
    super(message);
  }
}
