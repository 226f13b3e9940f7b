package dev.tsdb.rules.config;

import dev.tsdb.rules.relabel.RelabelConfig;
import java.util.List;
import java.util.Map;

/**
 * One {@code remote_write[]} entry of prometheus.yml, with Prometheus 3.5's defaults (see
 * {@link #DEFAULT_TIMEOUT_MS}, {@link QueueConfig#DEFAULT}, {@link MetadataConfig#DEFAULT}).
 *
 * @param url the receiver's URL (required)
 * @param name {@code name}, or "" when not given (the forwarder then names the queue itself)
 * @param remoteTimeoutMs {@code remote_timeout}: per request (default 30s)
 * @param headers {@code headers} added to every request (reserved names are refused)
 * @param writeRelabelConfigs applied to each series before it is sent
 * @param protobufMessage {@link #PROTO_V1} or {@link #PROTO_V2}
 * @param proxyUrl {@code proxy_url}, or null for a direct connection
 * @param oauth2 {@code oauth2} (client_credentials), or null
 */
public record RemoteWriteConfig(String url, String name, long remoteTimeoutMs,
    Map<String, String> headers, List<RelabelConfig> writeRelabelConfigs, boolean sendExemplars,
    boolean sendNativeHistograms, String protobufMessage, BasicAuth basicAuth,
    Authorization authorization, TlsConfig tls, String proxyUrl, QueueConfig queue,
    MetadataConfig metadata, OAuth2Config oauth2) {
  public static final String PROTO_V1 = "prometheus.WriteRequest";
  public static final String PROTO_V2 = "io.prometheus.write.v2.Request";
  public static final long DEFAULT_TIMEOUT_MS = 30_000;

  public RemoteWriteConfig {
    headers = Map.copyOf(headers);
    writeRelabelConfigs = List.copyOf(writeRelabelConfigs);
  }

  /** Without oauth2. */
  public RemoteWriteConfig(String url, String name, long remoteTimeoutMs,
      Map<String, String> headers, List<RelabelConfig> writeRelabelConfigs,
      boolean sendExemplars, boolean sendNativeHistograms, String protobufMessage,
      BasicAuth basicAuth, Authorization authorization, TlsConfig tls, String proxyUrl,
      QueueConfig queue, MetadataConfig metadata) {
    this(url, name, remoteTimeoutMs, headers, writeRelabelConfigs, sendExemplars,
        sendNativeHistograms, protobufMessage, basicAuth, authorization, tls, proxyUrl, queue,
        metadata, null);
  }

  /** A config for {@code url} with every default (tests, tools). */
  public static RemoteWriteConfig of(String url) {
    return new RemoteWriteConfig(url, "", DEFAULT_TIMEOUT_MS, Map.of(), List.of(), false, false,
        PROTO_V1, null, null, TlsConfig.NONE, null, QueueConfig.DEFAULT, MetadataConfig.DEFAULT);
  }

  public boolean isV2() {
    return PROTO_V2.equals(protobufMessage);
  }

  /** This config with another queue_config. */
  public RemoteWriteConfig withQueue(QueueConfig q) {
    return new RemoteWriteConfig(url, name, remoteTimeoutMs, headers, writeRelabelConfigs,
        sendExemplars, sendNativeHistograms, protobufMessage, basicAuth, authorization, tls,
        proxyUrl, q, metadata, oauth2);
  }

  /**
   * {@code queue_config}; Prometheus's defaults. Capacity 0 would mean max_samples_per_send in
   * Prometheus, but its default is 10000 and a zero here is taken as that default too.
   */
  public record QueueConfig(int capacity, int maxShards, int minShards, int maxSamplesPerSend,
      long batchSendDeadlineMs, long minBackoffMs, long maxBackoffMs, boolean retryOnRateLimit,
      long sampleAgeLimitMs) {
    public static final QueueConfig DEFAULT =
        new QueueConfig(10_000, 50, 1, 2000, 5_000, 30, 5_000, false, 0);
  }

  /** {@code metadata_config}: whether and how often metric metadata is sent (1.0 messages). */
  public record MetadataConfig(boolean send, long sendIntervalMs, int maxSamplesPerSend) {
    public static final MetadataConfig DEFAULT = new MetadataConfig(true, 60_000, 2000);
  }
}
