package dev.tsdb.server;

import dev.tsdb.rules.config.ConfigException;
import dev.tsdb.server.flags.FlagException;
import dev.tsdb.server.flags.FlagSet;
import dev.tsdb.server.flags.ServerFlags;
import dev.tsdb.server.log.Log;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Entry point. Exit codes: 0 after a clean shutdown or --help/--version, 1 when start-up fails
 * (bad config, port in use, storage error), 2 for command-line errors.
 */
public final class Main {
  static {
    // Before the first logger is created: keep log handlers alive during shutdown.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager",
          "dev.tsdb.server.log.ShutdownSafeLogManager");
    }
  }

  private static final Logger LOG = Logger.getLogger(Main.class.getName());

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** SIGHUP reloads the configuration, as it does for Prometheus. */
  @SuppressWarnings("restriction")
  private static void installReloadOnHangup(TsdbServer server) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
        try {
          server.reload();
        } catch (ConfigException e) {
          // reload() has logged it; the previous configuration stays in force
        }
      });
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      Log.debug(LOG, "SIGHUP reload not available on this platform");
    }
  }

  /**
   * SIGTERM and SIGINT stop the server gracefully (database closed: WAL synced, lock released)
   * and the process exits 0, as Prometheus does; without these handlers the JVM would run the
   * shutdown hook but exit 143/130.
   */
  @SuppressWarnings("restriction")
  private static void installGracefulStop(TsdbServer server) {
    String[][] signals = {{"TERM", "terminated"}, {"INT", "interrupt"}};
    for (String[] sig : signals) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(sig[0]), s -> {
          if (!server.isStopped()) {
            Log.warn(LOG, "Received an OS signal, exiting gracefully...", "signal", sig[1]);
            server.close();
          }
        });
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        Log.debug(LOG, "SIG" + sig[0] + " handler not available on this platform");
      }
    }
  }

  /** Runs the server until it is stopped; returns the exit code. */
  static int run(String[] args) {
    ServerFlags flags = new ServerFlags();
    FlagSet.Parsed parsed;
    try {
      parsed = flags.set.parse(args);
    } catch (FlagException e) {
      System.err.println("tsdb: error: " + e.getMessage());
      return 2;
    }
    if (parsed.help()) {
      System.out.print(flags.set.usage());
      return 0;
    }
    if (parsed.version()) {
      System.out.print(Version.banner());
      return 0;
    }
    Log.setup(parsed.get(flags.logLevel), parsed.get(flags.logFormat).equals("json"));
    Log.info(LOG, "Starting tsdb", "version", Version.version());
    TsdbServer server;
    try {
      server = TsdbServer.start(flags, parsed);
    } catch (ConfigException e) {
      Log.error(LOG, "Error loading config", null, "file", parsed.get(flags.configFile),
          "err", e.getMessage());
      return 1;
    } catch (dev.tsdb.server.web.WebConfigException e) {
      Log.error(LOG, "Unable to validate web configuration file", null, "err", e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      Log.error(LOG, "Error starting server", null, "err", String.valueOf(e.getMessage()));
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (server.isStopped()) {
        return;
      }
      Log.warn(LOG, "Received an OS signal, exiting gracefully...");
      server.close();
    }, "shutdown"));
    installReloadOnHangup(server);
    installGracefulStop(server);
    HeapTrimmer.startUnlessDisabled();
    try {
      server.awaitStop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
