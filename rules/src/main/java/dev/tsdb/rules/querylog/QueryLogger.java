package dev.tsdb.rules.querylog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoTimeFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * {@code global.query_log_file}: every query of the HTTP API and of rule evaluation appended to
 * the file as one JSON line in Prometheus's layout:
 * <pre>
 * {"time":"...","level":"INFO","source":"engine.go:662","msg":"promql query logged",
 *  "params":{"end":"...","query":"up","start":"...","step":0},
 *  "stats":{"timings":{...},"samples":{"totalQueryableSamples":0,"peakSamples":0}},
 *  "spanID":"0000000000000000","httpRequest":{"clientIP":...,"method":...,"path":...}}
 * </pre>
 * The engine does not measure the phases separately, so each timing holds the execution time
 * (queue and sort times 0) and the sample counts are 0. {@link #setFile} (at start-up and every
 * reload) closes the file and opens the configured one; "" turns logging off.
 */
public final class QueryLogger implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(QueryLogger.class.getName());
  private static final JsonFactory JSON = new JsonFactory();
  /** Prometheus's formatDate: UTC with milliseconds. */
  private static final String DATE = "2006-01-02T15:04:05.000Z07:00";
  /** Where Prometheus's engine logs from; kept so tools reading the log see the same keys. */
  private static final String SOURCE = "engine.go:662";
  private static final String NO_SPAN = "0000000000000000";

  private String file = "";
  private OutputStream out;
  private final java.util.concurrent.atomic.AtomicLong failures =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Opens {@code name} for appending (created when missing), closing the previous file; the
   * same name reopens it, as a reload does in Prometheus (log rotation).
   *
   * @throws IOException when the file cannot be opened; logging is then off
   */
  public synchronized void setFile(String name) throws IOException {
    closeFile();
    file = name == null ? "" : name;
    if (file.isEmpty()) {
      return;
    }
    try {
      out = Files.newOutputStream(Path.of(file), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      file = "";
      throw new IOException("can't create json log file: open " + name + ": " + e.getMessage(),
          e);
    }
  }

  public synchronized boolean enabled() {
    return out != null;
  }

  /** Lines that could not be written (prometheus_engine_query_log_failures_total). */
  public long failures() {
    return failures.get();
  }

  public void log(QueryLogEntry e) {
    synchronized (this) {
      if (out == null) {
        return;
      }
    }
    Instant now = Instant.now();
    String line = format(e, now.getEpochSecond() * 1_000_000_000L + now.getNano());
    synchronized (this) {
      if (out == null) {
        return;
      }
      try {
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException ex) {
        failures.incrementAndGet();
        LOG.log(System.Logger.Level.ERROR, "can't log query: " + ex.getMessage());
      }
    }
  }

  /** The JSON line (with its newline) for an entry logged at {@code nowNanos}. */
  static String format(QueryLogEntry e, long nowNanos) {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeStringField("time", GoTimeFormat.format(nowNanos,
          GoTimeFormat.RFC3339_NANO));
      g.writeStringField("level", "INFO");
      g.writeStringField("source", SOURCE);
      g.writeStringField("msg", "promql query logged");
      g.writeObjectFieldStart("params");
      g.writeStringField("end", date(e.endMs()));
      g.writeStringField("query", e.query());
      g.writeStringField("start", date(e.startMs()));
      g.writeNumberField("step", e.stepMs() / 1000);
      g.writeEndObject();
      if (e.error() != null) {
        g.writeStringField("error", e.error());
      }
      double secs = e.execNanos() / 1e9;
      g.writeObjectFieldStart("stats");
      g.writeObjectFieldStart("timings");
      seconds(g, "evalTotalTime", secs);
      seconds(g, "resultSortTime", 0);
      seconds(g, "queryPreparationTime", 0);
      seconds(g, "innerEvalTime", secs);
      seconds(g, "execQueueTime", 0);
      seconds(g, "execTotalTime", secs);
      g.writeEndObject();
      g.writeObjectFieldStart("samples");
      g.writeNumberField("totalQueryableSamples", 0);
      g.writeNumberField("peakSamples", 0);
      g.writeEndObject();
      g.writeEndObject();
      g.writeStringField("spanID", NO_SPAN);
      for (Map.Entry<String, Map<String, String>> o : e.origin().entrySet()) {
        g.writeObjectFieldStart(o.getKey());
        for (Map.Entry<String, String> f : o.getValue().entrySet()) {
          g.writeStringField(f.getKey(), f.getValue());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new java.io.UncheckedIOException(ex);
    }
    return w + "\n";
  }

  private static void seconds(JsonGenerator g, String name, double v) throws IOException {
    g.writeFieldName(name);
    g.writeRawValue(GoFloat.formatEncodingJson(v));
  }

  private static String date(long ms) {
    // Beyond the ~292 years nanoseconds reach, the nearest representable time.
    long nanos = ms > Long.MAX_VALUE / 1_000_000L ? Long.MAX_VALUE
        : ms < Long.MIN_VALUE / 1_000_000L ? Long.MIN_VALUE : ms * 1_000_000L;
    return GoTimeFormat.format(nanos, DATE);
  }

  private void closeFile() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "closing query log " + file + ": " + e.getMessage());
      }
      out = null;
    }
  }

  @Override
  public synchronized void close() {
    closeFile();
  }
}
