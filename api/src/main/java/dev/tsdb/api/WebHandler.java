package dev.tsdb.api;

import dev.tsdb.api.export.ExportHandler;
import dev.tsdb.api.export.ExpositionLines;
import dev.tsdb.api.export.JsonLines;
import dev.tsdb.api.handlers.AdminApi;
import dev.tsdb.api.handlers.FederateHandler;
import dev.tsdb.api.handlers.QueryApi;
import dev.tsdb.api.handlers.RulesApi;
import dev.tsdb.api.handlers.SeriesApi;
import dev.tsdb.api.handlers.StatusApi;
import dev.tsdb.api.http.ApiEndpoint;
import dev.tsdb.api.importer.ImportHandler;
import dev.tsdb.api.http.ApiResult;
import dev.tsdb.api.http.Cors;
import dev.tsdb.api.http.JsonEndpointHandler;
import dev.tsdb.api.http.Responses;
import dev.tsdb.api.http.Router;
import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.api.otlp.DeltaToCumulative;
import dev.tsdb.api.otlp.OtlpWriteHandler;
import dev.tsdb.api.remote.RemoteReadHandler;
import dev.tsdb.api.remote.RemoteWriteHandler;
import dev.tsdb.api.remote.RemoteWriteStats;
import dev.tsdb.api.ui.WebUi;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.index.storage.ChunkQueryable;
import dev.tsdb.index.storage.ExemplarQueryable;
import dev.tsdb.index.storage.MetadataQueryable;
import dev.tsdb.rules.RuleManager;
import dev.tsdb.rules.config.OtlpConfig;
import dev.tsdb.rules.notifier.NotifierManager;
import dev.tsdb.index.storage.Storage;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.encoding.ContentEncodingRepository;
import io.undertow.server.handlers.encoding.DeflateEncodingProvider;
import io.undertow.server.handlers.encoding.EncodingHandler;
import io.undertow.server.handlers.encoding.GzipEncodingProvider;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The whole HTTP surface: health and readiness, the JSON API under /api/v1, remote write,
 * /metrics, the web UI. Built from the storage, the engine and the server's facts; the server only has to
 * mount {@link #handler()} on a listener.
 */
public final class WebHandler {
  /** Everything the handlers need; build with {@link #builder()}. */
  public static final class Builder {
    private Storage storage;
    private dev.tsdb.rules.querylog.QueryLogger queryLog;
    private QueryEngine engine;
    private SelectorParser selectorParser;
    private QueryParser queryParser;
    private StatusSource status;
    private Readiness readiness = new Readiness();
    private MetadataStore metadata;
    private RemoteWriteStats remoteWriteStats = new RemoteWriteStats();
    private ApiMetrics metrics;
    private String corsOrigin = ".*";
    private int remoteWriteMaxBytes = 32 << 20;
    private java.util.List<String> remoteWriteMessages = RemoteWriteHandler.SUPPORTED;
    private boolean createdTimestampZeroIngestion;
    private long queryTimeoutMs = 120_000;
    private LongSupplier clock = System::currentTimeMillis;
    private Supplier<Labels> externalLabels = () -> Labels.EMPTY;
    private long remoteReadSampleLimit = 50_000_000;
    private int remoteReadConcurrency = 10;
    private int remoteReadMaxBytesInFrame = 1 << 20;
    private Supplier<ChunkQueryable> chunkQueryable;
    private long lookbackDeltaMs = 300_000;
    private boolean enableAdminApi;
    private long readTimeoutMs = 300_000;
    private RuleManager ruleManager;
    private NotifierManager notifier;
    private TsdbAdmin admin;
    private TsdbStatusSource tsdbStatus;
    private Supplier<OtlpConfig> otlpConfig;
    private boolean otlpNativeDelta;
    private boolean otlpDeltaToCumulative;
    private String uiExternalPath = "";
    private String uiPageTitle = DEFAULT_PAGE_TITLE;
    private long importMaxBytes = 64L << 20;

    public Builder storage(Storage s) {
      this.storage = s;
      return this;
    }

    public Builder engine(QueryEngine e) {
      this.engine = e;
      return this;
    }

    public Builder selectorParser(SelectorParser p) {
      this.selectorParser = p;
      return this;
    }

    public Builder queryParser(QueryParser p) {
      this.queryParser = p;
      return this;
    }

    public Builder status(StatusSource s) {
      this.status = s;
      return this;
    }

    public Builder readiness(Readiness r) {
      this.readiness = r;
      return this;
    }

    /**
     * Where remote-write metadata is kept when the storage is not a {@link MetadataQueryable}
     * (by default a fresh in-memory store then; storage that is keeps its own).
     */
    public Builder metadata(MetadataStore m) {
      this.metadata = m;
      return this;
    }

    public Builder metrics(ApiMetrics m) {
      this.metrics = m;
      return this;
    }

    public Builder corsOrigin(String regex) {
      this.corsOrigin = regex;
      return this;
    }

    public Builder remoteWriteMaxBytes(int n) {
      this.remoteWriteMaxBytes = n;
      return this;
    }

    /** The remote-write protobuf messages accepted (default: 1.0 and 2.0). */
    public Builder remoteWriteMessages(java.util.List<String> messages) {
      this.remoteWriteMessages = messages;
      return this;
    }

    /** Prometheus's created-timestamp-zero-ingestion feature, for remote write 2.0. */
    public Builder createdTimestampZeroIngestion(boolean on) {
      this.createdTimestampZeroIngestion = on;
      return this;
    }

    public Builder queryTimeoutMs(long ms) {
      this.queryTimeoutMs = ms;
      return this;
    }

    /** global.query_log_file: the API's queries are logged there. */
    public Builder queryLog(dev.tsdb.rules.querylog.QueryLogger log) {
      this.queryLog = log;
      return this;
    }

    public Builder clock(LongSupplier c) {
      this.clock = c;
      return this;
    }

    /** The config's global external labels, attached to remote-read results. */
    public Builder externalLabels(Supplier<Labels> l) {
      this.externalLabels = l;
      return this;
    }

    public Builder remoteReadLimits(long sampleLimit, int concurrency) {
      this.remoteReadSampleLimit = sampleLimit;
      this.remoteReadConcurrency = concurrency;
      return this;
    }

    /** --storage.remote.read-max-bytes-in-frame for streamed remote read. */
    public Builder remoteReadMaxBytesInFrame(int n) {
      this.remoteReadMaxBytesInFrame = n;
      return this;
    }

    /**
     * Where streamed remote read gets encoded chunks; the supplier returns null while none is
     * available (then only SAMPLES is offered). Defaults to the storage itself when it is a
     * {@link ChunkQueryable}.
     */
    public Builder chunkQueryable(Supplier<ChunkQueryable> c) {
      this.chunkQueryable = c;
      return this;
    }

    /** --web.enable-admin-api: without it the admin endpoints answer "admin APIs disabled". */
    public Builder enableAdminApi(boolean on) {
      this.enableAdminApi = on;
      return this;
    }

    /**
     * The rule manager and notifier behind /api/v1/rules, /api/v1/alerts and
     * /api/v1/alertmanagers; without them those endpoints answer empty lists.
     */
    public Builder rules(RuleManager rules, NotifierManager notifier) {
      this.ruleManager = Objects.requireNonNull(rules, "rules");
      this.notifier = Objects.requireNonNull(notifier, "notifier");
      return this;
    }

    /** The storage's admin operations (delete_series, clean_tombstones, snapshot). */
    public Builder admin(TsdbAdmin a) {
      this.admin = a;
      return this;
    }

    /** Head statistics for /api/v1/status/tsdb from the storage's index. */
    public Builder tsdbStatus(TsdbStatusSource s) {
      this.tsdbStatus = s;
      return this;
    }

    /** --web.read-timeout: how long a request body may take to arrive (0: no limit). */
    public Builder readTimeoutMs(long ms) {
      this.readTimeoutMs = ms;
      return this;
    }

    /**
     * --web.enable-otlp-receiver: serves /api/v1/otlp/v1/metrics, translating with the current
     * {@code otlp:} config section (read per request, so reloads apply).
     *
     * @param nativeDelta --enable-feature=otlp-native-delta-ingestion
     */
    public Builder otlpReceiver(Supplier<OtlpConfig> config, boolean nativeDelta) {
      this.otlpConfig = Objects.requireNonNull(config, "config");
      this.otlpNativeDelta = nativeDelta;
      return this;
    }

    /** --enable-feature=otlp-deltatocumulative: delta OTLP metrics become cumulative. */
    public Builder otlpDeltaToCumulative(boolean convert) {
      this.otlpDeltaToCumulative = convert;
      return this;
    }

    /**
     * The web UI's settings: the path of --web.external-url (where "/" and "/graph" redirect to,
     * without a trailing slash) and --web.page-title.
     */
    public Builder webUi(String externalPath, String pageTitle) {
      this.uiExternalPath = Objects.requireNonNull(externalPath, "externalPath");
      this.uiPageTitle = Objects.requireNonNull(pageTitle, "pageTitle");
      return this;
    }

    /** The largest body /api/v1/import and /api/v1/import/prometheus accept, decompressed. */
    public Builder importMaxBytes(long n) {
      this.importMaxBytes = n;
      return this;
    }

    public Builder lookbackDeltaMs(long ms) {
      this.lookbackDeltaMs = ms;
      return this;
    }

    public WebHandler build() {
      return new WebHandler(this);
    }
  }

  /** Prometheus's default --web.page-title. */
  public static final String DEFAULT_PAGE_TITLE =
      "Prometheus Time Series Collection and Processing Server";

  private final Router router;
  private final HttpHandler handler;
  private final Readiness readiness;

  public static Builder builder() {
    return new Builder();
  }

  private WebHandler(Builder b) {
    Objects.requireNonNull(b.storage, "storage");
    Objects.requireNonNull(b.engine, "engine");
    Objects.requireNonNull(b.selectorParser, "selectorParser");
    Objects.requireNonNull(b.status, "status");
    this.readiness = b.readiness;
    ApiMetrics metrics = b.metrics != null ? b.metrics : new ApiMetrics();
    metrics.bindRemoteWrite(b.remoteWriteStats);
    metrics.bindServer(b.status, b.readiness);
    Cors cors = new Cors(b.corsOrigin);
    router = new Router(readiness).observer(metrics);

    router.add("/-/healthy", false,
        (ex, p) -> plain(ex, 200, "Prometheus Server is Healthy.\n"), Methods.GET, Methods.HEAD);
    router.add("/-/ready", false, (ex, p) -> {
      if (readiness.isReady()) {
        plain(ex, 200, "Prometheus Server is Ready.\n");
      } else {
        plain(ex, 503, "Service Unavailable");
      }
    }, Methods.GET, Methods.HEAD);
    router.add("/metrics", false, (ex, p) -> Responses.send(ex, 200,
        "text/plain; version=0.0.4; charset=utf-8",
        metrics.scrape().getBytes(StandardCharsets.UTF_8)), Methods.GET);

    new WebUi(b.uiExternalPath, b.uiPageTitle).register(router);

    router.optionsUnder("/api/v1/", new JsonEndpointHandler(r -> ApiResult.of(null), cors));

    QueryApi query = new QueryApi(b.engine, b.storage, b.clock, b.queryTimeoutMs,
        metrics.queries()).queryLog(b.queryLog);
    // Metadata and exemplars come from the storage when it keeps them; metadata otherwise from
    // an in-memory store the remote-write receiver fills.
    MetadataStore metadataFallback = b.storage instanceof MetadataQueryable ? null
        : b.metadata != null ? b.metadata : new MetadataStore();
    MetadataQueryable metadata = metadataFallback != null ? metadataFallback
        : (MetadataQueryable) b.storage;
    ExemplarQueryable exemplars = b.storage instanceof ExemplarQueryable e ? e : null;
    SeriesApi series = new SeriesApi(b.storage, b.selectorParser, metadata);
    StatusApi status = new StatusApi(b.status, b.storage, b.clock, b.tsdbStatus);

    api("/query", true, cors, query::query, Methods.GET, Methods.POST);
    api("/query_range", true, cors, query::queryRange, Methods.GET, Methods.POST);
    if (b.queryParser != null) {
      QueryParser qp = b.queryParser;
      api("/query_exemplars", true, cors, r -> query.queryExemplars(r, qp, exemplars), Methods.GET,
          Methods.POST);
      api("/format_query", true, cors, r -> query.formatQuery(r, qp, qp::pretty), Methods.GET,
          Methods.POST);
      api("/parse_query", true, cors, r -> query.parseQuery(r, qp, qp::toJson), Methods.GET,
          Methods.POST);
    }
    api("/series", true, cors, series::series, Methods.GET, Methods.POST);
    api("/labels", true, cors, series::labelNames, Methods.GET, Methods.POST);
    api("/label/:name/values", true, cors, series::labelValues, Methods.GET);
    api("/metadata", true, cors, series::metricMetadata, Methods.GET);
    api("/targets", true, cors, status::targets, Methods.GET);
    api("/targets/metadata", true, cors, status::emptyList, Methods.GET);
    api("/scrape_pools", true, cors, status::scrapePools, Methods.GET);
    if (b.ruleManager != null) {
      RulesApi rules = new RulesApi(b.ruleManager, b.notifier, b.selectorParser);
      api("/alertmanagers", true, cors, rules::alertmanagers, Methods.GET);
      api("/rules", true, cors, rules::rules, Methods.GET);
      api("/alerts", true, cors, rules::alerts, Methods.GET);
    } else {
      api("/alertmanagers", true, cors, status::alertmanagers, Methods.GET);
      api("/rules", true, cors, status::rules, Methods.GET);
      api("/alerts", true, cors, status::alerts, Methods.GET);
    }
    api("/status/config", true, cors, status::config, Methods.GET);
    api("/status/flags", true, cors, status::flags, Methods.GET);
    api("/status/runtimeinfo", true, cors, status::runtimeInfo, Methods.GET);
    api("/status/buildinfo", true, cors, status::buildInfo, Methods.GET);
    api("/status/tsdb", true, cors, status::tsdb, Methods.GET);
    // Served during WAL replay, so that progress can be watched.
    api("/status/walreplay", false, cors, status::walReplay, Methods.GET);

    AdminApi admin = new AdminApi(b.enableAdminApi, b.admin, b.selectorParser);
    api("/admin/tsdb/delete_series", true, cors, admin::deleteSeries, Methods.POST, Methods.PUT);
    api("/admin/tsdb/clean_tombstones", true, cors, admin::cleanTombstones, Methods.POST,
        Methods.PUT);
    api("/admin/tsdb/snapshot", true, cors, admin::snapshot, Methods.POST, Methods.PUT);

    router.add("/api/v1/write", true, new RemoteWriteHandler(b.storage, metadataFallback,
        b.remoteWriteStats, b.remoteWriteMaxBytes, b.clock, b.remoteWriteMessages,
        b.createdTimestampZeroIngestion), Methods.POST);
    if (b.otlpConfig != null) {
      router.add("/api/v1/otlp/v1/metrics", true, new OtlpWriteHandler(b.storage,
          metadataFallback, b.otlpConfig, b.otlpNativeDelta,
          b.otlpDeltaToCumulative ? DeltaToCumulative.withDefaults(b.clock) : null,
          b.remoteWriteMaxBytes, b.clock),
          Methods.POST);
    }
    router.add("/federate", true, new FederateHandler(b.storage, b.selectorParser,
        b.externalLabels, b.clock, b.lookbackDeltaMs), Methods.GET);
    // VictoriaMetrics's bulk export and import (see docs/architecture.md, "Import and export").
    router.add("/api/v1/export", true, new ExportHandler(b.storage, b.selectorParser, b.clock,
        new JsonLines()), Methods.GET, Methods.POST);
    router.add("/api/v1/export/prometheus", true, new ExportHandler(b.storage, b.selectorParser,
        b.clock, new ExpositionLines()), Methods.GET, Methods.POST);
    router.add("/api/v1/import", true, new ImportHandler(b.storage,
        ImportHandler.Format.JSON_LINES, b.importMaxBytes, b.clock), Methods.POST);
    router.add("/api/v1/import/prometheus", true, new ImportHandler(b.storage,
        ImportHandler.Format.EXPOSITION, b.importMaxBytes, b.clock), Methods.POST);
    Supplier<ChunkQueryable> chunks = b.chunkQueryable != null ? b.chunkQueryable
        : b.storage instanceof ChunkQueryable c ? () -> c : () -> null;
    router.add("/api/v1/read", true, new RemoteReadHandler(b.storage, chunks, b.externalLabels,
        new RemoteReadHandler.Limits(b.remoteReadSampleLimit, b.remoteReadConcurrency, 32 << 20,
            b.remoteReadMaxBytesInFrame), metrics.remoteReadQueries()), Methods.POST);

    // Like Prometheus, remote read and write answers are never gzip'ed: they carry their own
    // encodings (snappy, streamed frames). OTLP answers are small and senders may not expect it.
    io.undertow.predicate.Predicate compressible =
        ex -> !ex.getRelativePath().endsWith("/api/v1/read")
            && !ex.getRelativePath().endsWith("/api/v1/write")
            && !ex.getRelativePath().endsWith("/api/v1/otlp/v1/metrics");
    ContentEncodingRepository encodings = new ContentEncodingRepository()
        .addEncodingHandler("gzip", new GzipEncodingProvider(), 50, compressible)
        .addEncodingHandler("deflate", new DeflateEncodingProvider(), 10, compressible);
    HttpHandler blocking = new BlockingHandler(new dev.tsdb.api.http.CleanPathRedirect(
        new EncodingHandler(router, encodings)));
    long readTimeout = b.readTimeoutMs;
    this.handler = ex -> {
      dev.tsdb.api.http.ReadDeadline.apply(ex, readTimeout);
      blocking.handleRequest(ex);
    };
  }

  private void api(String path, boolean needsReady, Cors cors, ApiEndpoint endpoint,
      HttpString... methods) {
    HttpString[] withOptions = java.util.Arrays.copyOf(methods, methods.length + 1);
    withOptions[methods.length] = Methods.OPTIONS;
    router.add("/api/v1" + path, needsReady, new JsonEndpointHandler(endpoint, cors), withOptions);
  }

  private static void plain(HttpServerExchange ex, int status, String body) {
    Responses.send(ex, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  /** The root handler to mount on a listener. */
  public HttpHandler handler() {
    return handler;
  }

  public Router router() {
    return router;
  }

  public Readiness readiness() {
    return readiness;
  }
}
