package dev.tsdb.server;

import dev.tsdb.api.ApiMetrics;
import dev.tsdb.api.Readiness;
import dev.tsdb.api.WebHandler;
import dev.tsdb.api.remote.RemoteWriteHandler;
import dev.tsdb.blocks.db.Database;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.rules.config.ConfigException;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.rules.config.ConfigLoader;
import dev.tsdb.rules.querylog.QueryLogger;
import dev.tsdb.rules.config.PrometheusConfig;
import dev.tsdb.rules.config.StorageConfig;
import dev.tsdb.server.flags.FlagSet;
import dev.tsdb.server.flags.ListenAddress;
import dev.tsdb.server.flags.ServerFlags;
import dev.tsdb.server.log.Log;
import dev.tsdb.server.web.ReloadingSslContext;
import dev.tsdb.server.web.WebConfig;
import dev.tsdb.server.web.WebConfigException;
import dev.tsdb.server.web.WebConfigFile;
import dev.tsdb.server.web.WebSecurityHandler;
import dev.tsdb.index.storage.ChunkQueryable;
import dev.tsdb.index.storage.CorruptionException;
import dev.tsdb.index.storage.Storage;
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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;

/**
 * The running server: loads the config, starts the HTTP listener (not ready yet), loads the rule
 * files, opens the storage, starts rule evaluation, then turns ready. {@link #close()} stops the
 * listener, then rule evaluation, closes the storage, and stops the notifier last (after it sent
 * what was queued).
 */
public final class TsdbServer implements Closeable {
  private static final Logger LOG = Logger.getLogger(TsdbServer.class.getName());

  private final ServerFlags flags;
  private final FlagSet.Parsed parsed;
  private final ServerStatus status;
  private final Readiness readiness = new Readiness();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Path configPath;
  private final boolean configExplicit;
  private volatile Storage storage;
  private final DeferredStorage deferredStorage = new DeferredStorage(() -> storage);
  private final Database db;
  private final StorageConfig storageConfig;
  /** The retention in effect: from the config file or the flags, re-decided on reload. */
  private volatile RetentionSettings retention;
  /** global.query_log_file for the API's and the rules' queries. */
  private final QueryLogger queryLog = new QueryLogger();
  private final ApiMetrics metrics = new ApiMetrics();
  private RulesRuntime rules;
  /** The engine settings from flags, kept for the query warm-up once the storage is open. */
  private EngineFactory.Options engineOptions;
  /** Forwards to the remote_write receivers once the storage is open; null before. */
  private dev.tsdb.server.forward.RemoteWriteForwarder forwarder;
  private String externalUrl = "";
  private Undertow undertow;
  private int port;
  private dev.tsdb.api.http.Router router;
  /** --web.config.file, or null when not given. */
  private WebConfigFile webConfig;

  private TsdbServer(ServerFlags flags, FlagSet.Parsed parsed, PrometheusConfig config)
      throws ConfigException {
    this.flags = flags;
    this.parsed = parsed;
    this.configPath = Path.of(parsed.get(flags.configFile));
    this.configExplicit = parsed.isSet(flags.configFile);
    this.retention = RetentionSettings.of(flags, parsed, config.storage());
    this.status = new ServerStatus(dev.tsdb.server.flags.ShownFlags.of(flags, parsed),
        System.currentTimeMillis(),
        retention.timeMs(), retention.sizeBytes(), config);
    this.storageConfig = config.storage();
    if (retention.percentage() > 0 && retention.sizeBytes() > 0) {
      Log.warn(LOG, "storage.tsdb.retention.size is ignored, because"
          + " storage.tsdb.retention.percentage is specified");
    }
    StorageFactory.Options opts;
    try {
      opts = StorageFactory.Options.of(flags, parsed, retention, storageConfig);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("opening storage failed: " + e.getMessage(), e);
    }
    this.db = StorageFactory.create(opts);
    status.walReplaySource(WalReplayProgress.of(db)::current);
    StorageMetrics.bind(metrics.registry(), db, () -> retention);
    StorageMetrics.bindHead(metrics, db);
    StorageMetrics.bindExemplars(metrics.registry(), db);
  }

  /** Loads the configuration named by the flags; a missing default file means defaults. */
  static PrometheusConfig loadConfig(Path path, boolean explicit) throws ConfigException {
    if (!explicit && !Files.exists(path)) {
      Log.info(LOG, "No configuration file, using defaults", "file", path.toString());
      return PrometheusConfig.defaults();
    }
    PrometheusConfig c = ConfigLoader.load(path);
    if (!c.ignoredSections().isEmpty()) {
      Log.warn(LOG, "Configuration sections not supported yet are ignored",
          "file", path.toString(), "sections", String.join(",", c.ignoredSections()));
    }
    if (!c.unsupportedSettings().isEmpty()) {
      Log.warn(LOG, "Configuration settings not supported are accepted without effect",
          "file", path.toString(), "settings", String.join(",", c.unsupportedSettings()));
    }
    return c;
  }

  /** Starts everything; returns once the server is ready (or throws). */
  public static TsdbServer start(ServerFlags flags, FlagSet.Parsed parsed)
      throws ConfigException, IOException, WebConfigException {
    // Checked first, as Prometheus does: an invalid web config stops the start-up.
    WebConfigFile webConfig = webConfigFile(parsed.get(flags.webConfigFile));
    Set<String> features = features(flags, parsed);
    if (features.contains("otlp-deltatocumulative")
        && features.contains("otlp-native-delta-ingestion")) {
      // Prometheus refuses the pair at start-up: a delta is either converted or stored as is.
      throw new IllegalArgumentException("Error parsing feature list: cannot enable"
          + " otlp-deltatocumulative and otlp-native-delta-ingestion features at the same time");
    }
    if (features.contains("otlp-deltatocumulative")) {
      Log.info(LOG, "Converting delta OTLP metrics to cumulative");
    }
    PrometheusConfig config = loadConfig(Path.of(parsed.get(flags.configFile)),
        parsed.isSet(flags.configFile));
    TsdbServer s = new TsdbServer(flags, parsed, config);
    s.webConfig = webConfig;
    if (parsed.get(flags.retentionDeprecated) != null) {
      Log.warn(LOG, "This flag is deprecated, use \"storage.tsdb.retention.time\" instead",
          "flag", "storage.tsdb.retention");
    }
    s.startListener();
    try {
      s.applyQueryLog(config);
      s.applyRules(config);
      s.openStorage();
    } catch (ConfigException | IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  /** The validated web config file, or null when the flag is empty. */
  private static WebConfigFile webConfigFile(String flag) throws WebConfigException {
    if (flag.isEmpty()) {
      return null;
    }
    WebConfigFile f = WebConfigFile.at(Path.of(flag));
    WebConfig c = f.validate();
    if (!c.tls().curvePreferences().isEmpty()) {
      // Java 17 has no per-connection named groups: the JDK-wide list, read once, so changes
      // to curve_preferences take effect at the next start.
      System.setProperty("jdk.tls.namedGroups", String.join(",",
          c.tls().curvePreferences().stream().map(WebConfigFile::namedGroup).toList()));
    }
    return f;
  }

  /**
   * Applies the rule files and alerting section; errors are logged one by one (file:line and
   * reason) and summed up in the exception, with Prometheus's message.
   */
  /** (Re)opens global.query_log_file, as Prometheus does on every load, so rotation works. */
  private void applyQueryLog(PrometheusConfig c) throws ConfigException {
    try {
      queryLog.setFile(c.global().queryLogFile());
    } catch (IOException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  private void applyRules(PrometheusConfig c) throws ConfigException {
    if (!rules.apply(c, externalUrl).isEmpty()) {
      throw new ConfigException("one or more errors occurred while applying the new"
          + " configuration (--config.file=\"" + parsed.get(flags.configFile) + "\")");
    }
  }

  /**
   * Prometheus's computeExternalURL: --web.external-url without its trailing slash, or
   * http://HOSTNAME:PORT when not given. Used in alerts' generatorURL and templates.
   */
  static String externalUrl(String flag, int port) {
    return externalUrl(flag, "http", port);
  }

  /** As above; {@code scheme} is https when the web config file turns TLS on. */
  static String externalUrl(String flag, String scheme, int port) {
    if (flag.isEmpty()) {
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "localhost";
      }
      return scheme + "://" + host + ":" + port;
    }
    // The path loses its trailing slashes ("http://h:9090/" -> "http://h:9090").
    int pathStart = flag.indexOf('/', flag.indexOf("//") + 2);
    if (pathStart < 0 || flag.indexOf('?') >= 0 || flag.indexOf('#') >= 0) {
      return flag;
    }
    int end = flag.length();
    while (end > pathStart && flag.charAt(end - 1) == '/') {
      end--;
    }
    return flag.substring(0, end);
  }

  private RulesRuntime.Options rulesOptions() {
    return new RulesRuntime.Options(parsed.get(flags.outageTolerance),
        parsed.get(flags.forGracePeriod), parsed.get(flags.resendDelay),
        parsed.get(flags.notificationQueueCapacity), parsed.get(flags.drainNotificationQueue));
  }

  private void startListener() throws WebConfigException {
    ListenAddress addr = parsed.get(flags.listenAddress);
    engineOptions = new EngineFactory.Options(
        parsed.get(flags.lookbackDelta), parsed.get(flags.queryTimeout),
        parsed.get(flags.queryMaxSamples), parsed.get(flags.queryMaxConcurrency),
        status.config().global().evaluationIntervalMs(), features());
    QueryEngine engine = EngineFactory.create(engineOptions);
    rules = new RulesRuntime(deferredStorage, engine, metrics.registry(), rulesOptions(),
        queryLog);
    WebHandler.Builder webBuilder = WebHandler.builder()
        .storage(deferredStorage)
        .queryLog(queryLog)
        .metrics(metrics)
        .rules(rules.rules(), rules.notifier())
        .engine(engine)
        .selectorParser(EngineFactory.selectorParser())
        .queryParser(EngineFactory.queryParser(features()))
        .status(status)
        .readiness(readiness)
        .corsOrigin(parsed.get(flags.corsOrigin))
        .remoteWriteMaxBytes(parsed.get(flags.remoteWriteMaxBytes))
        .remoteWriteMessages(remoteWriteMessages())
        .createdTimestampZeroIngestion(features().contains("created-timestamp-zero-ingestion"))
        .queryTimeoutMs(parsed.get(flags.queryTimeout))
        .externalLabels(() -> status.config().global().externalLabels())
        .lookbackDeltaMs(parsed.get(flags.lookbackDelta))
        // "/" and "/graph" redirect under the external URL's path (a proxy's, when it has one).
        .webUi(ServerFlags.routePrefix("", parsed.get(flags.externalUrl)),
            parsed.get(flags.pageTitle))
        .readTimeoutMs(parsed.get(flags.readTimeout))
        .enableAdminApi(parsed.get(flags.enableAdminApi))
        .admin(new DbAdmin(db))
        .tsdbStatus(new DbAdmin(db))
        .metrics(metrics)
        .remoteReadLimits(parsed.get(flags.remoteReadSampleLimit),
            parsed.get(flags.remoteReadConcurrentLimit))
        .remoteReadMaxBytesInFrame(parsed.get(flags.remoteReadMaxBytesInFrame))
        // Streamed remote read serves the database's encoded chunks.
        .chunkQueryable(() -> storage instanceof ChunkQueryable c ? c : null);
    if (parsed.get(flags.enableOtlpReceiver)) {
      webBuilder.otlpReceiver(() -> status.config().otlp(),
          features().contains("otlp-native-delta-ingestion"));
      webBuilder.otlpDeltaToCumulative(features().contains("otlp-deltatocumulative"));
    }
    WebHandler web = webBuilder.build();
    router = web.router();
    web.router().add("/-/reload", false, (ex, p) -> lifecycle(ex, () -> {
      try {
        return reload();
      } catch (ConfigException e) {
        // Prometheus's reload handler: http.Error(w, "failed to reload config: ...", 500).
        ex.setStatusCode(500);
        ex.getResponseHeaders().put(io.undertow.util.Headers.CONTENT_TYPE,
            "text/plain; charset=utf-8");
        ex.getResponseHeaders().put(new io.undertow.util.HttpString("X-Content-Type-Options"),
            "nosniff");
        return "failed to reload config: " + e.getMessage() + "\n";
      }
    }), Methods.POST, Methods.PUT);
    web.router().add("/-/quit", false, (ex, p) -> lifecycle(ex, () -> {
      // Close once this answer is out: stopping the listener earlier could cut it off.
      ex.addExchangeCompleteListener((done, next) -> {
        next.proceed();
        new Thread(this::close, "quit").start();
      });
      return "Requesting termination... Goodbye!";
    }), Methods.POST, Methods.PUT);
    HttpHandler root = withRoutePrefix(web.handler(), ServerFlags.routePrefix(
        parsed.get(flags.routePrefix), parsed.get(flags.externalUrl)));
    // TLS is decided at start-up, as exporter-toolkit decides it; the file's other settings
    // and the certificates are read again per request or connection.
    WebConfig webSettings = webConfig == null ? WebConfig.none() : webConfig.current();
    boolean tls = webSettings.tls().enabled();
    if (webConfig != null) {
      root = new WebSecurityHandler(webConfig, root);
    }
    // --web.read-timeout as Go's ReadTimeout (and IdleTimeout, which defaults to it): headers
    // must arrive within it, a connection without requests or without any data transfer is
    // closed after it, and request bodies have their own deadline (see ReadDeadline).
    int readTimeout = (int) Math.min(Integer.MAX_VALUE, parsed.get(flags.readTimeout));
    Undertow.Builder builder = Undertow.builder();
    if (tls) {
      builder.addHttpsListener(addr.port(), addr.bindHost(), ReloadingSslContext.of(webConfig))
          // HTTP/2 only over TLS (negotiated by ALPN), as Go's server offers it.
          .setServerOption(UndertowOptions.ENABLE_HTTP2, webSettings.http().http2());
    } else {
      builder.addHttpListener(addr.port(), addr.bindHost());
    }
    undertow = builder
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
        // Heap, not direct, I/O buffers. The timeouts above close connections from XNIO's
        // timer while a worker may still be using the connection's pooled buffers; with direct
        // buffers Undertow frees their native memory itself, and such a race freed one twice
        // and corrupted the C heap (glibc abort in SlowClientTest). Heap buffers make any such
        // race a Java-level I/O error; the JDK copies them through its own per-thread direct
        // buffers for socket I/O, which costs little next to JSON and PromQL work.
        .setDirectBuffers(false)
        // --web.max-connections: stop accepting above the limit (0 means no limit).
        .setSocketOption(org.xnio.Options.CONNECTION_HIGH_WATER, maxConnections())
        .setSocketOption(org.xnio.Options.CONNECTION_LOW_WATER, maxConnections())
        .setHandler(root)
        .build();
    undertow.start();
    port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    externalUrl = externalUrl(parsed.get(flags.externalUrl), tls ? "https" : "http", port);
    Log.info(LOG, "Listening on", "address", addr.bindHost() + ":" + port);
    Log.info(LOG, tls ? "TLS is enabled." : "TLS is disabled.", "http2",
        String.valueOf(tls && webSettings.http().http2()), "address",
        addr.bindHost() + ":" + port);
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

  /** The accepted remote-write messages; both when the flag is not given, as Prometheus. */
  List<String> remoteWriteMessages() {
    List<String> given = parsed.getAll(flags.remoteWriteMessages);
    return given.isEmpty() ? RemoteWriteHandler.SUPPORTED
        : List.copyOf(new java.util.LinkedHashSet<>(given));
  }

  /** The --enable-feature names, split on commas. */
  Set<String> features() {
    return features(flags, parsed);
  }

  static Set<String> features(ServerFlags flags, FlagSet.Parsed parsed) {
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
    String msg = action.run(); // the action may have set an error status
    ex.getResponseSender().send(msg, StandardCharsets.UTF_8);
  }

  /** A reloaded retention: the database deletes by it from its next compaction run. */
  private void applyRetention(RetentionSettings next) {
    if (next.equals(retention)) {
      return;
    }
    retention = next;
    db.setRetention(next.timeMs(), next.sizeBytes(), next.percentage());
    Log.info(LOG, "TSDB retention updated", "duration", ModelDuration.format(next.timeMs()),
        "size", dev.tsdb.gocompat.Base2Bytes.format(next.sizeBytes()),
        "percentage", dev.tsdb.gocompat.GoFloat.formatG(next.percentage()));
  }

  /**
   * Re-reads the configuration file (SIGHUP, POST /-/reload) and applies it to the notifier and
   * the rule manager. A rule file that fails to load keeps the previous rules running; the reload
   * then counts as failed (prometheus_config_last_reload_successful 0) and the exception carries
   * Prometheus's message.
   */
  synchronized String reload() throws ConfigException {
    Log.info(LOG, "Loading configuration file", "filename", configPath.toString());
    try {
      PrometheusConfig c;
      try {
        c = loadConfig(configPath, configExplicit);
      } catch (ConfigException e) {
        throw new ConfigException("couldn't load configuration (--config.file=\""
            + parsed.get(flags.configFile) + "\"): " + e.getMessage(), e);
      }
      StorageConfig sc = c.storage();
      if (sc.outOfOrderTimeWindowMs() != storageConfig.outOfOrderTimeWindowMs()) {
        // The database fixes the window when it opens (the head's out-of-order buffers).
        Log.warn(LOG, "storage.tsdb.out_of_order_time_window changed; it takes effect at the"
            + " next restart", "configured", String.valueOf(sc.outOfOrderTimeWindowMs()) + "ms",
            "in_effect", String.valueOf(storageConfig.outOfOrderTimeWindowMs()) + "ms");
      }
      applyQueryLog(c);
      applyRules(c);
      applyRemoteWrite(c);
      if (db.isReady()) {
        db.setMaxExemplars(sc.maxExemplars());
      }
      applyRetention(RetentionSettings.of(flags, parsed, sc));
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
    Log.info(LOG, "Starting TSDB ...", "path", db.dir().toString(), "kind", StorageFactory.kind());
    try {
      db.load();
    } catch (IOException | CorruptionException e) {
      throw new IOException("opening storage failed: " + e.getMessage(), e);
    }
    storage = db;
    Log.info(LOG, "TSDB started", "duration", (System.nanoTime() - t0) / 1_000_000 + "ms",
        "blocks", Integer.toString(db.blocks().size()));
    startForwarding();
    // Rules evaluate only against an open storage (Prometheus starts its rule manager once the
    // initial config is loaded after the TSDB opened).
    rules.start();
    readiness.markReady();
    Log.info(LOG, "Server is ready to receive web requests.");
    // A second engine with the same settings, over made-up data: see QueryWarmup.
    QueryWarmup.startInBackground(EngineFactory.create(engineOptions));
  }

  /**
   * Starts the remote_write queues once the WAL they read is open, with the configuration in
   * effect (a reload during the storage's loading has updated it).
   */
  private synchronized void startForwarding() {
    forwarder = new dev.tsdb.server.forward.RemoteWriteForwarder(db.dir(), metrics.registry(),
        dev.tsdb.server.forward.RemoteWriteForwarder.Options.DEFAULT
            .withMaxRetainedWalBytes(parsed.get(flags.remoteMaxRetainedWalBytes)));
    PrometheusConfig c = status.config();
    try {
      forwarder.apply(c.remoteWrite(), c.global().externalLabels());
    } catch (IOException e) {
      Log.error(LOG, "Error starting remote write", e);
    }
  }

  /** Adds, changes and removes remote_write queues (none before the storage is open). */
  private void applyRemoteWrite(PrometheusConfig c) throws ConfigException {
    if (forwarder == null) {
      return;
    }
    try {
      forwarder.apply(c.remoteWrite(), c.global().externalLabels());
    } catch (IOException e) {
      throw new ConfigException("one or more errors occurred while applying the new"
          + " configuration (--config.file=\"" + parsed.get(flags.configFile) + "\"): "
          + e.getMessage(), e);
    }
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
    if (rules != null) {
      rules.stopRules();
    }
    if (forwarder != null) {
      forwarder.close(); // saves how far each queue got; the rest is sent after a restart
    }
    // Closes the database even while it is still loading (waits for the load to end): the WAL
    // is synced and the lock released.
    try {
      db.close();
    } catch (IOException e) {
      Log.error(LOG, "Error stopping storage", e);
    }
    if (rules != null) {
      rules.stopNotifier();
    }
    queryLog.close();
    Log.info(LOG, "See you next time!");
    stopped.countDown();
  }
}
