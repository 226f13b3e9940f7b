package dev.tsdb.server.log;

import java.util.logging.LogManager;

/**
 * A LogManager whose handlers survive JVM shutdown. The JDK's own shutdown hook resets logging,
 * which would swallow what our shutdown hook logs ("exiting gracefully", storage closing); this
 * manager only resets when {@link Log#setup} asks for it. Installed via the
 * java.util.logging.manager system property before any logger exists (see Main).
 */
public final class ShutdownSafeLogManager extends LogManager {
  static volatile boolean allowReset;

  @Override
  public void reset() {
    if (allowReset) {
      super.reset();
    }
  }
}
