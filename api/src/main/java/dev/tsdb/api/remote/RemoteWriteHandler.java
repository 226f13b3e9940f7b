package dev.tsdb.api.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.tsdb.api.http.Responses;
import dev.tsdb.api.http.Router;
import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.index.storage.Appendable;
import dev.tsdb.index.storage.Appender;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * POST /api/v1/write: Prometheus remote write 1.0 ({@code prometheus.WriteRequest}) and 2.0
 * ({@code io.prometheus.write.v2.Request}), snappy block-compressed protobuf.
 *
 * <p>Header handling follows Prometheus 3 (storage/remote/write_handler.go): the message comes
 * from the Content-Type's {@code proto=} parameter; a missing Content-Type or parameter means 1.0
 * and a missing Content-Encoding means snappy; another media type, an unknown message, a message
 * not in the accepted list ({@code --web.remote-write-receiver.accepted-protobuf-messages}) or
 * another encoding is 415. A body that is not snappy or not protobuf is 400. Invalid series and
 * refused samples do not fail the batch: everything valid is committed and the answer is 400
 * (senders drop 4xx batches instead of retrying them). For 1.0 (beyond Prometheus, which drops
 * invalid series silently) it names the first problem and the counts; for 2.0 it lists the
 * problems as Prometheus words them and, as the 2.0 spec requires, the
 * {@code X-Prometheus-Remote-Write-*-Written} headers say what was stored. A 2.0 request whose
 * references do not resolve is 400 with nothing stored (Prometheus 3.5 closes the connection).
 */
public final class RemoteWriteHandler implements Router.RouteHandler {
  private static final Logger LOG = Logger.getLogger(RemoteWriteHandler.class.getName());
  /** Prometheus refuses samples more than this far in the future (maxAheadTime). */
  static final long MAX_AHEAD_MS = 10 * 60 * 1000;

  public static final String PROTO_V1 = "prometheus.WriteRequest";
  public static final String PROTO_V2 = "io.prometheus.write.v2.Request";
  /** Every message this receiver understands, in Prometheus's order (its flag's default). */
  public static final List<String> SUPPORTED = List.of(PROTO_V1, PROTO_V2);
  static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";
  static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";
  static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";
  private static final String APP_PROTO = "application/x-protobuf";
  /** Buffers up to this size are kept in the pool for reuse. */
  private static final int RETAINED_BUFFER = 4 << 20;

  private final Appendable storage;
  private final MetadataStore metadata;
  private final RemoteWriteStats stats;
  private final int maxDecompressedBytes;
  private final int maxCompressedBytes;
  private final LongSupplier clock;
  private final List<String> accepted;
  private final boolean createdZero;
  /**
   * Series that 1.0 requests sent before, shared by the request threads: at most 2^20 slots
   * (8 MiB) for up to 250k active series at full speed, plus an entry (32 bytes) per series.
   */
  private final KnownSeries known = new KnownSeries(1 << 20);
  // Decode state of the requests running at once; a few sets, however many worker threads.
  private final BoundedPool<Buffers> buffers = new BoundedPool<>(() -> new Buffers(known),
      Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

  private static final class Buffers {
    byte[] compressed = new byte[64 << 10];
    byte[] decompressed = new byte[256 << 10];
    final WriteRequestDecoder decoder;

    Buffers(KnownSeries known) {
      decoder = new WriteRequestDecoder(known);
    }
    private WriteV2Decoder v2;

    /** The 2.0 decoder, made on first use (most threads only ever see 1.0). */
    WriteV2Decoder v2() {
      if (v2 == null) {
        v2 = new WriteV2Decoder();
      }
      return v2;
    }
    int bodyLength;
  }

  /**
   * @param metadata also receives the requests' metadata, for storage that does not keep it
   *     (null when the storage does: it gets it through {@link Appender#updateMetadata})
   */
  public RemoteWriteHandler(Appendable storage, MetadataStore metadata, RemoteWriteStats stats,
      int maxDecompressedBytes, LongSupplier clock) {
    this(storage, metadata, stats, maxDecompressedBytes, clock, SUPPORTED, false);
  }

  /**
   * @param accepted the protobuf messages accepted (a subset of {@link #SUPPORTED})
   * @param createdZero whether 2.0 created timestamps become zero samples (Prometheus's
   *     {@code --enable-feature=created-timestamp-zero-ingestion})
   */
  public RemoteWriteHandler(Appendable storage, MetadataStore metadata, RemoteWriteStats stats,
      int maxDecompressedBytes, LongSupplier clock, List<String> accepted, boolean createdZero) {
    for (String m : accepted) {
      if (!SUPPORTED.contains(m)) {
        throw new IllegalArgumentException(unknownMessage(m));
      }
    }
    this.accepted = List.copyOf(accepted);
    this.createdZero = createdZero;
    this.storage = storage;
    this.metadata = metadata;
    this.stats = stats;
    this.maxDecompressedBytes = maxDecompressedBytes;
    // Snappy's worst case expansion of incompressible input (32 + n + n/6).
    this.maxCompressedBytes =
        (int) Math.min(Integer.MAX_VALUE - 16, 32L + maxDecompressedBytes + maxDecompressedBytes / 6);
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerExchange ex, Map<String, String> pathParams) throws Exception {
    stats.requests.increment();
    String message;
    try {
      message = protoMessage(ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
    } catch (IllegalArgumentException e) {
      fail(ex, 415, e.getMessage());
      return;
    }
    String problem = null;
    if (!accepted.contains(message)) {
      problem = message + " protobuf message is not accepted by this server; accepted ["
          + String.join(" ", accepted) + "]";
    }
    if (problem == null) {
      problem = checkEncoding(ex.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING));
    }
    if (problem != null) {
      fail(ex, 415, problem);
      return;
    }
    if (!ex.isBlocking()) {
      ex.startBlocking();
    }
    Buffers b = buffers.borrow();
    try {
      handleBody(ex, message, b);
    } finally {
      buffers.release(b);
    }
  }

  private void handleBody(HttpServerExchange ex, String message, Buffers b) throws IOException {
    long contentLength = ex.getRequestContentLength();
    if (contentLength > maxCompressedBytes) {
      fail(ex, 413, "request body too large: " + contentLength + " bytes, limit "
          + maxCompressedBytes);
      return;
    }
    byte[] body = readBody(ex.getInputStream(), b, contentLength);
    if (body == null) {
      fail(ex, 413, "request body too large: more than " + maxCompressedBytes + " bytes");
      return;
    }
    int n = b.bodyLength;
    byte[] data;
    int len;
    try {
      int uncompressed = SnappyDecompressor.getUncompressedLength(body, 0);
      if (uncompressed < 0) {
        throw new MalformedInputException(0, "negative length");
      }
      if (uncompressed > maxDecompressedBytes) {
        fail(ex, 413, "decompressed request too large: " + uncompressed + " bytes, limit "
            + maxDecompressedBytes);
        return;
      }
      data = b.decompressed;
      if (data.length < uncompressed) {
        data = new byte[Math.max(uncompressed, data.length * 2)];
        if (data.length <= RETAINED_BUFFER) {
          b.decompressed = data;
        }
      }
      len = new SnappyDecompressor().decompress(body, 0, n, data, 0, data.length);
      if (len != uncompressed) {
        throw new MalformedInputException(0, "length mismatch");
      }
    } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
      fail(ex, 400, "snappy: corrupt input");
      return;
    }
    appendAll(ex, b, data, len, message.equals(PROTO_V2));
  }

  /** The 2.0 written-count headers (zeros when nothing was stored). */
  private static void setWritten(HttpServerExchange ex, WriteOutcome o) {
    var h = ex.getResponseHeaders();
    h.put(HttpString.tryFromString(SAMPLES_WRITTEN), o == null ? 0 : o.samplesAppended);
    h.put(HttpString.tryFromString(HISTOGRAMS_WRITTEN), o == null ? 0 : o.histogramsAppended);
    h.put(HttpString.tryFromString(EXEMPLARS_WRITTEN), o == null ? 0 : o.exemplarsAppended);
  }

  /**
   * Decodes into one appender and commits: everything valid is stored, rejections make a 400
   * (1.0: the first problem and counts; 2.0: Prometheus's lines and the written headers). A
   * request that cannot be read is rolled back.
   */
  private void appendAll(HttpServerExchange ex, Buffers b, byte[] data, int len, boolean v2)
      throws IOException {
    Appender app = storage.appender();
    WriteOutcome outcome;
    try {
      long maxT = clock.getAsLong() + MAX_AHEAD_MS;
      outcome = v2 ? b.v2().decode(data, len, app, metadata, maxT, createdZero)
          : b.decoder.decode(data, len, app, metadata, maxT);
    } catch (MalformedWriteException e) {
      app.rollback();
      refuse(ex, v2, 400, e.getMessage());
      return;
    } catch (InvalidProtocolBufferException e) {
      app.rollback();
      refuse(ex, v2, 400, "proto: cannot parse " + (v2 ? "Request" : "WriteRequest") + ": "
          + e.getMessage());
      return;
    } catch (RuntimeException e) {
      app.rollback();
      LOG.log(Level.WARNING, "Error while remote writing the " + (v2 ? "v2" : "v1")
          + " request", e);
      refuse(ex, v2, 500, String.valueOf(e.getMessage()));
      return;
    }
    try {
      app.commit();
    } catch (IOException e) {
      // Storage errors (full disk, I/O errors): nothing of the request was stored. 503 makes
      // senders retry (a 4xx would make them drop the batch); the retry is idempotent.
      LOG.log(Level.WARNING, "Error committing remote write request; answered 503 so the sender"
          + " retries (nothing of it was stored)", e);
      refuse(ex, v2, 503, "commit failed: " + e.getMessage());
      return;
    }
    stats.record(outcome);
    String rejected = null;
    if (v2) {
      setWritten(ex, outcome);
      rejected = outcome.hasMessages() ? outcome.messages() : null;
    } else if (outcome.hasRejections()) {
      rejected = outcome.describeRejections();
    }
    if (rejected != null) {
      String msg = rejected;
      LOG.fine(() -> "remote write partially rejected: " + msg.replace('\n', ';'));
      Responses.text(ex, 400, msg);
      return;
    }
    ex.setStatusCode(204);
    ex.endExchange();
  }

  /** Fails a decoded request; a 2.0 answer says that nothing was written. */
  private void refuse(HttpServerExchange ex, boolean v2, int status, String msg) {
    if (v2) {
      setWritten(ex, null);
    }
    fail(ex, status, msg);
  }

  private void fail(HttpServerExchange ex, int status, String msg) {
    stats.failedRequests.increment();
    LOG.fine(() -> "remote write request refused (" + status + "): " + msg);
    Responses.text(ex, status, msg);
  }

  /**
   * Reads the whole body, into the pooled buffer when it fits. Returns the buffer
   * (length in Buffers.bodyLength) or null when the body exceeds the limit.
   */
  private byte[] readBody(InputStream in, Buffers b, long contentLength) throws IOException {
    byte[] buf = b.compressed;
    if (contentLength > buf.length) {
      buf = new byte[(int) contentLength + 1];
    }
    int n = 0;
    while (true) {
      if (n == buf.length) {
        if (buf.length > maxCompressedBytes) {
          return null;
        }
        buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxCompressedBytes + 1L));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        break;
      }
      n += r;
      if (n > maxCompressedBytes) {
        return null;
      }
    }
    if (buf != b.compressed && buf.length <= RETAINED_BUFFER) {
      b.compressed = buf;
    }
    b.bodyLength = n;
    return buf;
  }

  /**
   * The protobuf message a Content-Type names (1.0 when it names none), or
   * IllegalArgumentException with Prometheus's 415 message.
   */
  static String protoMessage(String contentType) {
    if (contentType == null || contentType.isEmpty()) {
      return PROTO_V1; // Prometheus assumes 1.0 for "yolo" clients
    }
    String ct = contentType.trim();
    String[] parts = ct.split(";", -1);
    if (!parts[0].equals(APP_PROTO)) {
      throw new IllegalArgumentException("expected " + APP_PROTO
          + " as the first (media) part, got " + ct + " content-type");
    }
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", -1);
      if (kv.length != 2) {
        throw new IllegalArgumentException("as per https://www.rfc-editor.org/rfc/rfc9110"
            + "#parameter expected parameters to be key-values, got " + parts[i] + " in " + ct
            + " content-type");
      }
      if (kv[0].equals("proto")) {
        if (!SUPPORTED.contains(kv[1])) {
          throw new IllegalArgumentException("got " + ct + " content type; "
              + unknownMessage(kv[1]));
        }
        return kv[1];
      }
    }
    return PROTO_V1;
  }

  /** Prometheus's text for a message name it does not know. */
  public static String unknownMessage(String proto) {
    return "unknown remote write protobuf message " + proto + ", supported: "
        + String.join(", ", SUPPORTED);
  }

  static String checkEncoding(String enc) {
    if (enc == null || enc.isEmpty() || enc.toLowerCase(Locale.ROOT).equals("snappy")) {
      return null;
    }
    return enc + " encoding (compression) is not accepted by this server; only snappy is"
        + " acceptable";
  }
}
