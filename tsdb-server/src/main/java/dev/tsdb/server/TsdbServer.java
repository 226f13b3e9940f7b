package dev.tsdb.server;

import dev.tsdb.api.Readiness;
import dev.tsdb.api.WebHandler;
import dev.tsdb.labels.Labels;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.server.config.ConfigException;
import dev.tsdb.server.config.ConfigLoader;
import dev.tsdb.server.config.TsdbConfig;
import dev.tsdb.server.flags.FlagSet;
import dev.tsdb.server.flags.ListenAddress;
import dev.tsdb.server.flags.ServerFlags;
import dev.tsdb.server.log.Log;
import dev.tsdb.storage.Storage;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The running server: loads the config, starts the HTTP listener (not ready yet), opens the
 * storage, then turns ready. {@link #close()} stops the listener and closes the storage.
 */
public final class TsdbServer implements Closeable {
  private static final Logger LOG = Logger.getLogger(TsdbServer.class.getName());
  static final long DEFAULT_RETENTION_MS = 15L * 24 * 3600 * 1000;

  private final ServerFlags flags;
  private final FlagSet.Parsed parsed;
  private final ServerStatus status;
  private final Readiness readiness = new Readiness();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Path configPath;
  private final boolean configExplicit;
  private volatile Storage storage;
  private Undertow undertow;
  private int port;
  private dev.tsdb.api.http.Router router;

  private TsdbServer(ServerFlags flags, FlagSet.Parsed parsed, TsdbConfig config) {
    this.flags = flags;
    this.parsed = parsed;
    this.configPath = Path.of(parsed.get(flags.configFile));
    this.configExplicit = parsed.isSet(flags.configFile);
    this.status = new ServerStatus(parsed.asText(), System.currentTimeMillis(), retentionMs(),
        parsed.get(flags.retentionSize), config);
  }

  /** Loads the configuration named by the flags; a missing default file means defaults. */
  static TsdbConfig loadConfig(Path path, boolean explicit) throws ConfigException {
    if (!explicit && !Files.exists(path)) {
      Log.info(LOG, "No configuration file, using defaults", "file", path.toString());
      return TsdbConfig.empty();
    }
    TsdbConfig c = ConfigLoader.load(path);
    if (!c.ignoredSections().isEmpty()) {
      Log.warn(LOG, "Configuration sections not supported yet are ignored",
          "file", path.toString(), "sections", String.join(",", c.ignoredSections()));
    }
    return c;
  }

  private long retentionMs() {
    Long t = parsed.get(flags.retentionTime);
    if (t != null) {
      return t;
    }
    return parsed.get(flags.retentionSize) > 0 ? 0 : DEFAULT_RETENTION_MS;
  }

  /** Starts everything; returns once the server is ready (or throws). */
  public static TsdbServer start(ServerFlags flags, FlagSet.Parsed parsed)
      throws ConfigException, IOException {
    TsdbConfig config = loadConfig(Path.of(parsed.get(flags.configFile)),
        parsed.isSet(flags.configFile));
    TsdbServer s = new TsdbServer(flags, parsed, config);
    s.startListener();
    s.openStorage();
    return s;
  }

  private void startListener() {
    ListenAddress addr = parsed.get(flags.listenAddress);
    QueryEngine engine = EngineFactory.create(new EngineFactory.Options(
        parsed.get(flags.lookbackDelta), parsed.get(flags.queryTimeout),
        parsed.get(flags.queryMaxSamples), parsed.get(flags.queryMaxConcurrency),
        status.config().global().evaluationIntervalMs(), features()));
    WebHandler web = WebHandler.builder()
        .storage(new DeferredStorage(() -> storage))
        .engine(engine)
        .selectorParser(EngineFactory.selectorParser())
        .queryParser(EngineFactory.queryParser(features()))
        .status(status)
        .readiness(readiness)
        .corsOrigin(parsed.get(flags.corsOrigin))
        .remoteWriteMaxBytes(parsed.get(flags.remoteWriteMaxBytes))
        .queryTimeoutMs(parsed.get(flags.queryTimeout))
        .externalLabels(() -> Labels.fromMap(status.config().global().externalLabels()))
        .lookbackDeltaMs(parsed.get(flags.lookbackDelta))
        .storageStats(() -> StorageBridge.stats(storage))
        .readTimeoutMs(parsed.get(flags.readTimeout))
        .enableAdminApi(parsed.get(flags.enableAdminApi))
        .remoteReadLimits(parsed.get(flags.remoteReadSampleLimit),
            parsed.get(flags.remoteReadConcurrentLimit))
        .remoteReadMaxBytesInFrame(parsed.get(flags.remoteReadMaxBytesInFrame))
        // Streamed remote read and the admin API need more than the contract: see StorageBridge.
        .chunkQueryable(() -> StorageBridge.chunks(storage))
        .adminOps(() -> StorageBridge.adminOps(storage))
        .build();
    router = web.router();
    web.router().add("/-/reload", false, (ex, p) -> lifecycle(ex, this::reload),
        Methods.POST, Methods.PUT);
    web.router().add("/-/quit", false, (ex, p) -> lifecycle(ex, () -> {
      Thread t = new Thread(this::close, "quit");
      t.start();
      return "Requesting termination... Goodbye!";
    }), Methods.POST, Methods.PUT);
    HttpHandler root = withRoutePrefix(web.handler(), ServerFlags.routePrefix(
        parsed.get(flags.routePrefix), parsed.get(flags.externalUrl)));
    // --web.read-timeout as Go's ReadTimeout (and IdleTimeout, which defaults to it): headers
    // must arrive within it, a connection without requests or without any data transfer is
    // closed after it, and request bodies have their own deadline (see ReadDeadline).
    int readTimeout = (int) Math.min(Integer.MAX_VALUE, parsed.get(flags.readTimeout));
    undertow = Undertow.builder()
        .addHttpListener(addr.port(), addr.bindHost())
        // Workers block while reading bodies and evaluating queries; threads start on demand.
        .setWorkerThreads(Math.max(64, 8 * Runtime.getRuntime().availableProcessors()))
        .setServerOption(UndertowOptions.IDLE_TIMEOUT, readTimeout)
        .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, readTimeout)
        .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, readTimeout)
        // The idle timeout does not wake a worker blocked reading a stalled body; these make
        // such blocking reads (and writes to a client that stopped reading) fail after it.
        .setSocketOption(org.xnio.Options.READ_TIMEOUT, readTimeout)
        .setSocketOption(org.xnio.Options.WRITE_TIMEOUT, readTimeout)
        .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
        // --web.max-connections: stop accepting above the limit (0 means no limit).
        .setSocketOption(org.xnio.Options.CONNECTION_HIGH_WATER, maxConnections())
        .setSocketOption(org.xnio.Options.CONNECTION_LOW_WATER, maxConnections())
        .setHandler(root)
        .build();
    undertow.start();
    port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    Log.info(LOG, "Listening on", "address", addr.bindHost() + ":" + port);
  }

  /**
   * Serves everything under the route prefix (as Prometheus does with --web.route-prefix or the
   * external URL's path); "/" redirects there, other paths outside it are 404.
   */
  static HttpHandler withRoutePrefix(HttpHandler next, String prefix) {
    if (prefix.isEmpty()) {
      return next;
    }
    io.undertow.server.handlers.PathHandler paths = new io.undertow.server.handlers.PathHandler();
    paths.addPrefixPath(prefix, next);
    paths.addExactPath("/", io.undertow.Handlers.redirect(prefix + "/"));
    return paths;
  }

  private int maxConnections() {
    int n = parsed.get(flags.maxConnections);
    return n <= 0 ? Integer.MAX_VALUE : n;
  }

  /** The --enable-feature names, split on commas. */
  Set<String> features() {
    Set<String> out = new TreeSet<>();
    for (String v : parsed.getAll(flags.enableFeature)) {
      for (String f : v.split(",")) {
        if (!f.isBlank()) {
          out.add(f.trim());
        }
      }
    }
    return out;
  }

  private interface Action {
    String run() throws Exception;
  }

  private void lifecycle(HttpServerExchange ex, Action action) throws Exception {
    if (!parsed.get(flags.enableLifecycle)) {
      ex.setStatusCode(403);
      ex.getResponseSender().send("Lifecycle API is not enabled.");
      return;
    }
    String msg = action.run();
    ex.setStatusCode(200);
    ex.getResponseSender().send(msg, StandardCharsets.UTF_8);
  }

  /** Re-reads the configuration file (POST /-/reload). */
  String reload() throws ConfigException {
    try {
      TsdbConfig c = loadConfig(configPath, configExplicit);
      status.configLoaded(c, System.currentTimeMillis());
      Log.info(LOG, "Completed loading of configuration file", "filename", configPath.toString());
      return "";
    } catch (ConfigException e) {
      status.configFailed();
      Log.error(LOG, "Error reloading config", null, "err", e.getMessage());
      throw e;
    }
  }

  private void openStorage() throws IOException {
    long t0 = System.nanoTime();
    Path dir = Path.of(parsed.get(flags.tsdbPath));
    Log.info(LOG, "Starting TSDB ...", "path", dir.toString(), "kind", StorageFactory.kind());
    storage = StorageFactory.open(new StorageFactory.Options(dir, retentionMs(),
        parsed.get(flags.retentionSize)));
    Log.info(LOG, "TSDB started", "duration", (System.nanoTime() - t0) / 1_000_000 + "ms");
    readiness.markReady();
    Log.info(LOG, "Server is ready to receive web requests.");
  }

  public int port() {
    return port;
  }

  /** The routed paths and their methods (for the README's endpoint table test). */
  java.util.Map<String, java.util.SortedSet<String>> routes() {
    return router.routes();
  }

  public Readiness readiness() {
    return readiness;
  }

  public boolean isStopped() {
    return stopped.getCount() == 0;
  }

  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public synchronized void close() {
    if (stopped.getCount() == 0) {
      return;
    }
    readiness.markNotReady();
    if (undertow != null) {
      undertow.stop();
    }
    Storage s = storage;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        Log.error(LOG, "Error closing storage", e);
      }
    }
    Log.info(LOG, "See you next time!");
    stopped.countDown();
  }
}
