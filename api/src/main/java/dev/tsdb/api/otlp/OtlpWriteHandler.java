package dev.tsdb.api.otlp;

import dev.tsdb.api.http.Router;
import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.index.storage.Appendable;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.rules.config.OtlpConfig;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POST /api/v1/otlp/v1/metrics (with --web.enable-otlp-receiver): OTLP/HTTP metrics export
 * requests, protobuf or JSON, gzip'ed or not, translated by the config's {@code otlp:} section
 * as read at each request.
 *
 * <p>Status codes follow the OTLP/HTTP specification: 415 for another media type or encoding,
 * 400 for a body that does not decode, 413 past the size limit (all with a google.rpc.Status
 * body), 200 when the request was processed, with a partial_success naming the points that were
 * refused (delta temporality, out of order, dropped by the delta-to-cumulative conversion, ...)
 * while the rest is stored, and 503 (retryable)
 * when the storage could not commit (a full disk, an I/O error). There Prometheus 3.5 answers
 * 500, which the specification makes non-retryable: the sender would drop data it was never
 * told was stored; 503 makes it retry once the disk is back, as remote write senders do. Prometheus answers out-of-order and out-of-bounds samples
 * with 400 and stores nothing of such a request; the specification's partial success keeps the
 * valid part and stops the sender from retrying what can never succeed.
 */
public final class OtlpWriteHandler implements Router.RouteHandler {
  private static final Logger LOG = Logger.getLogger(OtlpWriteHandler.class.getName());
  /** Prometheus refuses samples more than this far in the future. */
  static final long MAX_AHEAD_MS = 10 * 60 * 1000;

  private final Appendable storage;
  private final MetadataStore metadata;
  private final Supplier<OtlpConfig> config;
  private final boolean nativeDelta;
  private final DeltaToCumulative deltaToCumulative;
  private final int maxBytes;
  private final LongSupplier clock;

  /**
   * @param metadata receives metadata when the storage does not keep it (else null)
   * @param nativeDelta {@code --enable-feature=otlp-native-delta-ingestion}
   * @param maxBytes the largest body accepted, before and after decompression
   */
  public OtlpWriteHandler(Appendable storage, MetadataStore metadata,
      Supplier<OtlpConfig> config, boolean nativeDelta, int maxBytes, LongSupplier clock) {
    this(storage, metadata, config, nativeDelta, null, maxBytes, clock);
  }

  /**
   * @param deltaToCumulative {@code --enable-feature=otlp-deltatocumulative}: the running
   *     totals that delta metrics are converted with (null: deltas are not converted)
   */
  public OtlpWriteHandler(Appendable storage, MetadataStore metadata,
      Supplier<OtlpConfig> config, boolean nativeDelta, DeltaToCumulative deltaToCumulative,
      int maxBytes, LongSupplier clock) {
    this.storage = storage;
    this.metadata = metadata;
    this.config = config;
    this.nativeDelta = nativeDelta;
    this.deltaToCumulative = deltaToCumulative;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerExchange ex, Map<String, String> pathParams) throws Exception {
    String contentType = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    OtlpFormat format = OtlpFormat.of(contentType);
    if (format == null) {
      OtlpResponses.error(ex, null, 415, "unsupported content type: " + contentType
          + ", supported: [application/json, application/x-protobuf]");
      return;
    }
    String encoding = ex.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING);
    boolean gzip = encoding != null && encoding.trim().toLowerCase(Locale.ROOT).equals("gzip");
    if (encoding != null && !gzip && !encoding.isBlank()
        && !encoding.trim().equalsIgnoreCase("identity")) {
      OtlpResponses.error(ex, format, 415, "unsupported content encoding: " + encoding
          + ", supported: [gzip, identity]");
      return;
    }
    if (!ex.isBlocking()) {
      ex.startBlocking();
    }
    ExportMetricsServiceRequest request;
    try {
      byte[] body = readBody(ex.getInputStream());
      request = OtlpRequestDecoder.decode(OtlpRequestDecoder.inflate(body, gzip, maxBytes),
          format);
    } catch (OtlpRequestDecoder.BadRequest e) {
      LOG.fine(() -> "OTLP request refused (" + e.status + "): " + e.getMessage());
      OtlpResponses.error(ex, format, e.status, e.getMessage());
      return;
    }
    write(ex, format, request);
  }

  private void write(HttpServerExchange ex, OtlpFormat format,
      ExportMetricsServiceRequest request) throws IOException {
    Appender app = storage.appender();
    AppenderWriter writer = new AppenderWriter(app, metadata, clock.getAsLong() + MAX_AHEAD_MS);
    OtlpTranslator.Result result = new OtlpTranslator.Result();
    try {
      // As Prometheus does, only requests with deltas take the (serialized) conversion path.
      if (deltaToCumulative != null && DeltaToCumulative.hasDelta(request)) {
        request = deltaToCumulative.convert(request, result);
      }
      new OtlpTranslator(config.get(), nativeDelta).translate(request, writer, result);
    } catch (RuntimeException e) {
      app.rollback();
      LOG.log(Level.WARNING, "Error translating OTLP metrics", e);
      OtlpResponses.error(ex, format, 500, String.valueOf(e.getMessage()));
      return;
    }
    try {
      app.commit();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Error committing OTLP write request", e);
      OtlpResponses.error(ex, format, 503, "commit failed: " + e.getMessage());
      return;
    }
    List<String> problems = new ArrayList<>(result.errors);
    if (writer.firstProblem != null) {
      problems.add(writer.firstProblem);
    }
    String message = String.join("; ", problems);
    if (!message.isEmpty()) {
      LOG.fine(() -> "OTLP write partially refused: " + message);
    }
    OtlpResponses.success(ex, format, result.rejectedPoints, message);
  }

  private byte[] readBody(InputStream in) throws IOException, OtlpRequestDecoder.BadRequest {
    byte[] body = in.readNBytes(maxBytes);
    if (in.read() >= 0) {
      throw new OtlpRequestDecoder.BadRequest(413, "request body larger than " + maxBytes
          + " bytes");
    }
    return body;
  }
}
