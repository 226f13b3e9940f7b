package dev.tsdb.server.flags;

import dev.tsdb.api.remote.RemoteWriteHandler;
import dev.tsdb.gocompat.Base2Bytes;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoRegex;
import dev.tsdb.gocompat.ModelDuration;
import java.util.Locale;

/** The server's flags, named and meaning what Prometheus's do (plus a few of our own). */
public final class ServerFlags {
  public final FlagSet set = new FlagSet("tsdb");

  public final Flag<String> configFile = set.add(Flag.of("config.file", "prometheus.yml",
      "Configuration file path.", s -> s));
  public final Flag<ListenAddress> listenAddress = set.add(Flag.of("web.listen-address",
      "0.0.0.0:9090", "Address to listen on for UI, API, and telemetry.", ListenAddress::parse));
  public final Flag<Long> readTimeout = set.add(Flag.of("web.read-timeout", "5m",
      "Maximum duration before timing out read of the request, and closing idle connections.",
      ModelDuration::parseMillis));
  public final Flag<Integer> maxConnections = set.add(Flag.of("web.max-connections", "512",
      "Maximum number of simultaneous connections across all listeners.",
      ServerFlags::nonNegativeInt));
  public final Flag<String> webConfigFile = set.add(Flag.of("web.config.file", "",
      "[EXPERIMENTAL] Path to configuration file that can enable TLS or authentication.",
      s -> s));
  public final Flag<String> externalUrl = set.add(Flag.of("web.external-url", "",
      "The URL under which the server is externally reachable (for example, if it is served via"
          + " a reverse proxy). If the URL has a path portion, it will be used to prefix all HTTP"
          + " endpoints. If omitted, relevant URL components will be derived automatically.",
      ServerFlags::externalUrl));
  public final Flag<String> routePrefix = set.add(Flag.of("web.route-prefix", "",
      "Prefix for the internal routes of web endpoints. Defaults to path of --web.external-url.",
      s -> s));
  public final Flag<String> pageTitle = set.add(Flag.of("web.page-title",
      dev.tsdb.api.WebHandler.DEFAULT_PAGE_TITLE, "Document title of Prometheus instance.",
      s -> s));
  public final Flag<Boolean> enableLifecycle = set.add(Flag.bool("web.enable-lifecycle",
      "Enable shutdown and reload via HTTP request."));
  public final Flag<Boolean> enableAdminApi = set.add(Flag.bool("web.enable-admin-api",
      "Enable API endpoints for admin control actions."));
  public final Flag<Boolean> enableRemoteWriteReceiver = set.add(Flag.bool(
      "web.enable-remote-write-receiver",
      "Accepted for compatibility: the remote write receiver is always enabled."));
  public final Flag<Boolean> enableOtlpReceiver = set.add(Flag.bool(
      "web.enable-otlp-receiver",
      "Enable API endpoint accepting OTLP write requests."));
  public final Flag<String> corsOrigin = set.add(Flag.of("web.cors.origin", ".*",
      "Regex for CORS origin. It is fully anchored.", ServerFlags::regex));
  public final Flag<Integer> remoteWriteMaxBytes = set.add(Flag.of(
      "web.remote-write-receiver.max-bytes", "32MiB",
      "Largest decompressed remote-write request accepted; bigger ones get 413.",
      ServerFlags::intBytes));
  /** Repeatable; not given means both (Prometheus's default, shown in /api/v1/status/flags). */
  public final Flag<String> remoteWriteMessages = set.add(new Flag<>(
      "web.remote-write-receiver.accepted-protobuf-messages",
      String.join(",", RemoteWriteHandler.SUPPORTED),
      "List of the remote write protobuf messages to accept when receiving the remote writes."
          + " Supported values: " + String.join(", ", RemoteWriteHandler.SUPPORTED),
      ServerFlags::remoteWriteMessage, false, true, "<value>"));

  public final Flag<String> tsdbPath = set.add(Flag.of("storage.tsdb.path", "data/",
      "Base path for metrics storage.", s -> s));
  public final Flag<Long> retentionTime = set.add(Flag.of("storage.tsdb.retention.time", "0s",
      "How long to retain samples in storage. If neither this flag nor"
          + " \"storage.tsdb.retention.size\" is set, the retention time defaults to 15d.",
      ServerFlags::optionalDuration));
  public final Flag<Long> retentionSize = set.add(Flag.of("storage.tsdb.retention.size", "0B",
      "Maximum number of bytes that can be stored for blocks. Units supported: B, KB, MB, GB,"
          + " TB, PB, EB.", Base2Bytes::parse));
  public final Flag<Long> retentionDeprecated = set.add(Flag.of("storage.tsdb.retention", "0s",
      "[DEPRECATED] How long to retain samples in storage. This flag has been deprecated, use"
          + " \"storage.tsdb.retention.time\" instead.", ServerFlags::optionalDuration));
  public final Flag<Long> minBlockDuration = set.add(Flag.of("storage.tsdb.min-block-duration",
      "2h", "Minimum duration of a data block before being persisted. For use in testing.",
      ServerFlags::positiveDuration));
  public final Flag<Long> maxBlockDuration = set.add(Flag.of("storage.tsdb.max-block-duration",
      "0s", "Maximum duration compacted blocks may span. For use in testing. (Defaults to 10% of"
          + " the retention period.)", ServerFlags::optionalDuration));
  public final Flag<Long> walSegmentSize = set.add(Flag.of("storage.tsdb.wal-segment-size", "0B",
      "Size at which to split the tsdb WAL segment files. Example: 100MB", Base2Bytes::parse)
      .withPlaceholder("<bytes>"));
  public final Flag<Boolean> walCompression = set.add(Flag.bool("storage.tsdb.wal-compression",
      "Compress the tsdb WAL.").withDefault("true"));
  public final Flag<Boolean> noLockfile = set.add(Flag.bool("storage.tsdb.no-lockfile",
      "Do not create lockfile in data directory."));
  public final Flag<Boolean> memorySnapshotOnShutdown = set.add(Flag.bool(
      "storage.tsdb.memory-snapshot-on-shutdown",
      "Write a chunk snapshot (Prometheus's chunk_snapshot format) on clean shutdown and load it"
          + " at start, so a clean restart replays only the WAL written after it (ours, on by"
          + " default; --enable-feature=memory-snapshot-on-shutdown turns it on too). A snapshot"
          + " the WAL no longer matches is detected and ignored.").withDefault("true"));
  public final Flag<Boolean> walFsyncOnWrite = set.add(Flag.bool(
      "storage.tsdb.wal-fsync-on-write",
      "Fsync the WAL before acknowledging each write (ours). Off, as in Prometheus: acknowledged"
          + " writes survive a crash of the process; the OS may lose its last seconds on power"
          + " failure."));

  public final Flag<Long> remoteMaxRetainedWalBytes = set.add(Flag.of(
      "storage.remote.max-retained-wal-bytes", "0B",
      "Most bytes of WAL segments a remote_write queue that is behind (receiver down) keeps from"
          + " deletion, counted from the newest segment (ours; Prometheus keeps none). Beyond"
          + " it the oldest are deleted as Prometheus would have, and the queue skips what they"
          + " held. 0 means no limit. Units supported: B, KB, MB, GB, TB, PB, EB.",
      Base2Bytes::parse));
  public final Flag<Integer> remoteReadSampleLimit = set.add(Flag.of(
      "storage.remote.read-sample-limit", "50000000",
      "Maximum overall number of samples to return via the remote read interface, in a single"
          + " query. 0 means no limit.", ServerFlags::nonNegativeInt));
  public final Flag<Integer> remoteReadConcurrentLimit = set.add(Flag.of(
      "storage.remote.read-concurrent-limit", "10",
      "Maximum number of concurrent remote read calls. 0 means no limit.",
      ServerFlags::nonNegativeInt));
  public final Flag<Integer> remoteReadMaxBytesInFrame = set.add(Flag.of(
      "storage.remote.read-max-bytes-in-frame", "1048576",
      "Maximum number of bytes in a single frame for streaming remote read response types before"
          + " marshalling. Note that client might have limit on frame size as well. 1MB as"
          + " recommended by protobuf by default.", ServerFlags::positiveInt));

  public final Flag<Long> lookbackDelta = set.add(Flag.of("query.lookback-delta", "5m",
      "The maximum lookback duration for retrieving metrics during expression evaluations and"
          + " federation.", ModelDuration::parseMillis));
  public final Flag<Long> queryTimeout = set.add(Flag.of("query.timeout", "2m",
      "Maximum time a query may take before being aborted.", ModelDuration::parseMillis));
  public final Flag<Integer> queryMaxConcurrency = set.add(Flag.of("query.max-concurrency",
      "20", "Maximum number of queries executed concurrently.", ServerFlags::nonNegativeInt));
  public final Flag<Integer> queryMaxSamples = set.add(Flag.of("query.max-samples", "50000000",
      "Maximum number of samples a single query can load into memory.",
      ServerFlags::nonNegativeInt));

  public final Flag<Long> outageTolerance = set.add(Flag.of("rules.alert.for-outage-tolerance",
      "1h", "Max time to tolerate prometheus outage for restoring \"for\" state of alert.",
      ModelDuration::parseMillis));
  public final Flag<Long> forGracePeriod = set.add(Flag.of("rules.alert.for-grace-period", "10m",
      "Minimum duration between alert and restored \"for\" state. This is maintained only for"
          + " alerts with configured \"for\" time greater than grace period.",
      ModelDuration::parseMillis));
  public final Flag<Long> resendDelay = set.add(Flag.of("rules.alert.resend-delay", "1m",
      "Minimum amount of time to wait before resending an alert to Alertmanager.",
      ModelDuration::parseMillis));
  public final Flag<Integer> maxConcurrentEvals = set.add(Flag.of("rules.max-concurrent-evals",
      "4", "Global concurrency limit for independent rules that can run concurrently. When set,"
          + " \"query.max-concurrency\" may need to be adjusted accordingly.",
      ServerFlags::nonNegativeInt));
  public final Flag<Integer> notificationQueueCapacity = set.add(Flag.of(
      "alertmanager.notification-queue-capacity", "10000",
      "The capacity of the queue for pending Alertmanager notifications.",
      ServerFlags::nonNegativeInt));
  public final Flag<Boolean> drainNotificationQueue = set.add(new Flag<>(
      "alertmanager.drain-notification-queue-on-shutdown", "true",
      "Send any outstanding Alertmanager notifications when shutting down. If false, any"
          + " outstanding Alertmanager notifications will be dropped when shutting down.",
      Flag::parseBool, true, false, ""));

  public final Flag<String> enableFeature = set.add(Flag.repeatable("enable-feature",
      "Comma separated feature names to enable. created-timestamp-zero-ingestion: remote write"
          + " 2.0 created timestamps become zero samples; memory-snapshot-on-shutdown: see"
          + " storage.tsdb.memory-snapshot-on-shutdown; others are accepted and ignored."));
  public final Flag<String> logLevel = set.add(Flag.of("log.level", "info",
      "Only log messages with the given severity or above. One of: [debug, info, warn, error]",
      ServerFlags::logLevel));
  public final Flag<String> logFormat = set.add(Flag.of("log.format", "logfmt",
      "Output format of log messages. One of: [logfmt, json]", ServerFlags::logFormat));

  static String remoteWriteMessage(String s) {
    if (!RemoteWriteHandler.SUPPORTED.contains(s)) {
      throw new IllegalArgumentException(RemoteWriteHandler.unknownMessage(s));
    }
    return s;
  }

  static String externalUrl(String s) {
    if (s.isEmpty()) {
      return s;
    }
    try {
      java.net.URI u = new java.net.URI(s);
      if (u.getScheme() == null || u.getHost() == null) {
        throw new IllegalArgumentException("\"" + s + "\" is not a valid URL");
      }
      return s;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** The route prefix: --web.route-prefix, else the external URL's path; "" for none. */
  public static String routePrefix(String routePrefix, String externalUrl) {
    String p = routePrefix;
    if (p.isEmpty() && !externalUrl.isEmpty()) {
      String path = java.net.URI.create(externalUrl).getPath();
      p = path == null ? "" : path;
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (!p.isEmpty() && !p.startsWith("/")) {
      p = "/" + p;
    }
    return p;
  }

  /**
   * An int flag as Prometheus 3.5's kingpin reads it: strconv.ParseFloat, then Go's conversion
   * to int, which truncates; so "1.5", "1e2" and "1_0" are accepted and "0x10" is not (the
   * ParseFloat error is the message). NaN, infinities and values past int64 convert to a
   * negative int on amd64, so they are rejected with the negatives; past Java's int, saturates.
   */
  static int nonNegativeInt(String s) {
    double v = GoNumbers.parseFloat(s);
    if (!(v > -1) || v >= 0x1p63) {
      throw new IllegalArgumentException("must not be negative");
    }
    return (int) v;
  }

  static int positiveInt(String s) {
    int n = nonNegativeInt(s);
    if (n == 0) {
      throw new IllegalArgumentException("must be positive");
    }
    return n;
  }

  static int intBytes(String s) {
    long n = Base2Bytes.parse(s);
    if (n <= 0 || n > Integer.MAX_VALUE - 1024) {
      throw new IllegalArgumentException("must be between 1B and 2GB");
    }
    return (int) n;
  }

  /** A duration where 0 (the default, as Prometheus prints it: "0s") means "not set". */
  static Long optionalDuration(String s) {
    long ms = ModelDuration.parseMillis(s);
    return ms == 0 ? null : ms;
  }

  /** A duration that must be positive (block ranges). */
  static Long positiveDuration(String s) {
    long ms = ModelDuration.parseMillis(s);
    if (ms <= 0) {
      throw new IllegalArgumentException("duration must be greater than 0");
    }
    return ms;
  }

  static String regex(String s) {
    try {
      GoRegex.compileAnchored(s); // as the CORS handler compiles it
      return s;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid regex: " + e.getMessage());
    }
  }

  static String logLevel(String s) {
    String l = s.toLowerCase(Locale.ROOT);
    if (!l.equals("debug") && !l.equals("info") && !l.equals("warn") && !l.equals("error")) {
      throw new IllegalArgumentException("unrecognized log level " + s);
    }
    return l;
  }

  static String logFormat(String s) {
    if (!s.equals("logfmt") && !s.equals("json")) {
      throw new IllegalArgumentException("unrecognized log format " + s);
    }
    return s;
  }
}
