package dev.tsdb.server.log;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Structured logging on java.util.logging: {@code Log.info(LOG, "msg", "key", value, ...)} and
 * the one-time setup that sends every logger to stderr through {@link LogfmtFormatter}.
 */
public final class Log {
  /** JUL holds loggers weakly: keep the ones we configured, or their levels get lost. */
  private static final java.util.List<Logger> CONFIGURED = new java.util.ArrayList<>();

  private Log() {}

  /** Routes all java.util.logging output to stderr at the given level ("debug".."error"). */
  public static void setup(String level, boolean json) {
    ShutdownSafeLogManager.allowReset = true;
    try {
      LogManager.getLogManager().reset();
    } finally {
      ShutdownSafeLogManager.allowReset = false;
    }
    Logger root = Logger.getLogger("");
    Level l = toLevel(level);
    root.setLevel(l);
    Handler h = new ConsoleHandler(); // ConsoleHandler writes to System.err
    h.setLevel(l);
    h.setFormatter(new LogfmtFormatter(json));
    root.addHandler(h);
    // Libraries are chatty at their INFO; keep them at WARN unless debugging.
    if (l.intValue() > Level.FINE.intValue()) {
      for (String name : new String[] {"io.undertow", "org.xnio", "org.jboss"}) {
        Logger lib = Logger.getLogger(name);
        lib.setLevel(Level.WARNING);
        CONFIGURED.add(lib);
      }
    }
  }

  public static Level toLevel(String level) {
    return switch (level) {
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error" -> Level.SEVERE;
      default -> Level.INFO;
    };
  }

  public static void debug(Logger log, String msg, Object... kv) {
    log(log, Level.FINE, msg, null, kv);
  }

  public static void info(Logger log, String msg, Object... kv) {
    log(log, Level.INFO, msg, null, kv);
  }

  public static void warn(Logger log, String msg, Object... kv) {
    log(log, Level.WARNING, msg, null, kv);
  }

  public static void error(Logger log, String msg, Throwable t, Object... kv) {
    log(log, Level.SEVERE, msg, t, kv);
  }

  private static void log(Logger log, Level level, String msg, Throwable t, Object[] kv) {
    if (!log.isLoggable(level)) {
      return;
    }
    LogRecord r = new LogRecord(level, msg);
    r.setLoggerName(log.getName());
    r.setParameters(kv);
    r.setThrown(t);
    log.log(r);
  }
}
