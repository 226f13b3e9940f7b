package dev.tsdb.api.importer;

import dev.tsdb.api.http.BodyTooLargeException;
import dev.tsdb.api.http.Params;
import dev.tsdb.api.http.Responses;
import dev.tsdb.api.http.Router;
import dev.tsdb.index.storage.Appendable;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.promql.ErrorType;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.ZipException;

/**
 * {@code POST /api/v1/import} (VictoriaMetrics's JSON lines, what {@code /api/v1/export} writes)
 * and {@code POST /api/v1/import/prometheus} (text exposition or OpenMetrics, e.g. what
 * {@code /api/v1/export/prometheus} or {@code /federate} write). The body may be gzip'ed
 * ({@code Content-Encoding: gzip}); {@code extra_label=name=value} (repeatable) sets a label on
 * every imported series; for the exposition formats {@code timestamp} (milliseconds) is the time
 * of samples without one (default: the time of the request).
 *
 * <p>A request is one transaction through the ordinary appender (WAL, the head's time window and
 * out-of-order rules): a line that does not parse fails the whole request with 400 and the line
 * number, nothing stored. Samples the storage refuses (older than the head accepts, out of
 * order, duplicates, more than 10 minutes ahead) do not stop the rest: everything else is
 * committed and the answer is 400 with the count and the first refusal (as remote write 1.0
 * answers here). Success is 204. VictoriaMetrics instead skips bad lines and answers 204.
 */
public final class ImportHandler implements Router.RouteHandler {
  private static final Logger LOG = Logger.getLogger(ImportHandler.class.getName());
  /** As remote write: samples more than this far in the future are refused. */
  static final long MAX_AHEAD_MS = 10 * 60 * 1000;

  /** Which body format an endpoint reads. */
  public enum Format {
    /** VictoriaMetrics's JSON lines. */
    JSON_LINES,
    /** Text exposition format; OpenMetrics when the Content-Type says so. */
    EXPOSITION
  }

  private final Appendable storage;
  private final Format format;
  private final long maxBytes;
  private final LongSupplier clock;

  /** @param maxBytes the largest body accepted, decompressed */
  public ImportHandler(Appendable storage, Format format, long maxBytes, LongSupplier clock) {
    this.storage = storage;
    this.format = format;
    this.maxBytes = maxBytes;
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerExchange ex, Map<String, String> pathParams) throws Exception {
    String encoding = ex.getRequestHeaders().getFirst(Headers.CONTENT_ENCODING);
    boolean gzip = encoding != null && encoding.trim().equalsIgnoreCase("gzip");
    if (encoding != null && !gzip && !encoding.isBlank()
        && !encoding.trim().equalsIgnoreCase("identity")) {
      Responses.error(ex, 415, ErrorType.BAD_DATA, "unsupported Content-Encoding " + encoding
          + "; supported: gzip, identity");
      return;
    }
    Params params = Params.ofQuery(ex.getQueryString());
    long now = clock.getAsLong();
    Map<String, String> extra;
    long defaultTs;
    try {
      extra = extraLabels(params.getAll("extra_label"));
      defaultTs = defaultTimestamp(params.get("timestamp"), now);
    } catch (IllegalArgumentException e) {
      Responses.error(ex, ErrorType.BAD_DATA, e.getMessage(), List.of());
      return;
    }
    if (!ex.isBlocking()) {
      ex.startBlocking();
    }
    LineDecoder decoder = format == Format.JSON_LINES ? new JsonLineDecoder()
        : new ExpositionLineDecoder(isOpenMetrics(ex), () -> defaultTs);
    Appender app = storage.appender();
    AppendingSink sink = new AppendingSink(app, extra, now + MAX_AHEAD_MS);
    try (BufferedReader lines = BodyLines.open(ex.getInputStream(), gzip, maxBytes)) {
      for (String line; (line = lines.readLine()) != null; ) {
        sink.line++;
        decoder.decode(line, sink);
      }
    } catch (ImportSyntaxException e) {
      app.rollback();
      Responses.error(ex, ErrorType.BAD_DATA, "line " + sink.line + ": " + e.getMessage()
          + " (nothing of this request was stored)", List.of());
      return;
    } catch (BodyTooLargeException e) {
      app.rollback();
      Responses.error(ex, 413, ErrorType.BAD_DATA, e.getMessage());
      return;
    } catch (ZipException e) {
      app.rollback();
      Responses.error(ex, ErrorType.BAD_DATA, "cannot gunzip the body: " + e.getMessage(),
          List.of());
      return;
    } catch (IOException | RuntimeException e) {
      app.rollback();
      throw e;
    }
    try {
      app.commit();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "Error committing an import; answered 503 (nothing stored)", e);
      Responses.error(ex, 503, ErrorType.UNAVAILABLE, "commit failed: " + e.getMessage());
      return;
    }
    if (sink.rejected > 0) {
      Responses.error(ex, ErrorType.BAD_DATA, sink.rejected + " of "
          + (sink.rejected + sink.appended) + " samples refused, the other " + sink.appended
          + " stored; first: " + sink.firstRejection, List.of());
      return;
    }
    ex.setStatusCode(204);
    ex.endExchange();
  }

  private static boolean isOpenMetrics(HttpServerExchange ex) {
    String ct = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
    return ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/openmetrics-text");
  }

  /** {@code extra_label=name=value} arguments, in order (a later one wins). */
  static Map<String, String> extraLabels(List<String> args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("missing '=' after the label name in extra_label=\""
            + a + "\"; want extra_label=name=value");
      }
      out.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return out;
  }

  private static long defaultTimestamp(String arg, long now) {
    if (arg == null || arg.isEmpty()) {
      return now;
    }
    try {
      return Long.parseLong(arg);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid timestamp=\"" + arg
          + "\": want unix milliseconds");
    }
  }
}
