package dev.tsdb.api.export;

import dev.tsdb.api.ApiException;
import dev.tsdb.api.SelectorParser;
import dev.tsdb.api.handlers.RequestParams;
import dev.tsdb.api.http.Params;
import dev.tsdb.api.http.Responses;
import dev.tsdb.api.http.Router;
import dev.tsdb.api.params.TimeParams;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.promql.ErrorType;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code /api/v1/export} and {@code /api/v1/export/prometheus} (VictoriaMetrics's names): the raw
 * float samples of every series matching any {@code match[]} (or {@code match}) between
 * {@code start} (default: the earliest time) and {@code end} (default: now), in Prometheus's time
 * formats. The answer streams: series are read one at a time from one querier and written as they
 * come, in chunks of about {@link #FLUSH_BYTES}, so memory holds one series, never the result.
 *
 * <p>Deleted data is not exported (the querier applies tombstones). Staleness markers are left
 * out: neither format can tell them from a real NaN, and read back as NaN they would become data.
 * Native histogram samples are left out too: VictoriaMetrics's formats have no form for them.
 * A series with nothing left in the range has no line.
 */
public final class ExportHandler implements Router.RouteHandler {
  private static final Logger LOG = Logger.getLogger(ExportHandler.class.getName());
  private static final long STALE_NAN_BITS = 0x7ff0000000000002L;
  /** Output is handed to the connection whenever this much is buffered. */
  static final int FLUSH_BYTES = 32 << 10;

  private final Queryable storage;
  private final SelectorParser parser;
  private final LongSupplier clock;
  private final SeriesFormat format;

  public ExportHandler(Queryable storage, SelectorParser parser, LongSupplier clock,
      SeriesFormat format) {
    this.storage = storage;
    this.parser = parser;
    this.clock = clock;
    this.format = format;
  }

  @Override
  public void handle(HttpServerExchange ex, Map<String, String> pathParams) throws Exception {
    if (!ex.isBlocking()) {
      ex.startBlocking();
    }
    List<List<Matcher>> sets;
    long start;
    long end;
    try {
      Params params = Params.parse(ex.getQueryString(),
          ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE), ex.getInputStream());
      List<String> selectors = new ArrayList<>(params.getAll("match[]"));
      selectors.addAll(params.getAll("match"));
      if (selectors.isEmpty()) {
        throw ApiException.badData("no match[] parameter provided");
      }
      sets = RequestParams.matcherSets(selectors, parser);
      start = time(params, "start", TimeParams.MIN_TIME_MS);
      end = time(params, "end", clock.getAsLong());
    } catch (ApiException e) {
      Responses.error(ex, e.type(), e.getMessage(), List.of());
      return;
    }
    new Stream(ex).run(sets, start, end);
  }

  private static long time(Params params, String name, long dflt) {
    String v = params.get(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return TimeParams.parseTime(v);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParam(name,
          "invalid time value for '" + name + "': " + e.getMessage());
    }
  }

  /** One export: the buffer, the reused sample arrays and the connection's stream. */
  private final class Stream {
    private final HttpServerExchange ex;
    private final StringBuilder buf = new StringBuilder(FLUSH_BYTES + 4096);
    private OutputStream out; // null until the first chunk: errors can still be answered
    private long[] ts = new long[256];
    private double[] vs = new double[256];

    Stream(HttpServerExchange ex) {
      this.ex = ex;
    }

    void run(List<List<Matcher>> sets, long start, long end) throws IOException {
      try (Querier q = storage.querier(start, end)) {
        SampleIterator reuse = null;
        for (int i = 0; i < sets.size(); i++) {
          // Plain range hints: the "series" function would let blocks skip the samples.
          SeriesSet ss = q.select(false, SelectHints.range(start, end),
              sets.get(i).toArray(new Matcher[0]));
          while (ss.next()) {
            Labels l = ss.at().labels();
            if (matchedBefore(l, sets, i)) {
              continue; // written with an earlier match[]
            }
            reuse = ss.at().iterator(reuse);
            int n = collect(reuse, start, end);
            rethrow(reuse.error());
            if (n > 0) {
              format.append(buf, l, ts, vs, n);
              if (buf.length() >= FLUSH_BYTES) {
                flush();
              }
            }
          }
          rethrow(ss.error());
        }
      } catch (IOException | RuntimeException e) {
        fail(e);
        return;
      }
      flush();
      ex.endExchange();
    }

    /** Floats in [start, end] without staleness markers into ts/vs; returns how many. */
    private int collect(SampleIterator it, long start, long end) {
      int n = 0;
      for (ValueType vt = it.seek(start); vt != ValueType.NONE; vt = it.next()) {
        long t = it.t();
        if (t > end) {
          break;
        }
        if (vt != ValueType.FLOAT) {
          continue;
        }
        double v = it.v();
        if (Double.doubleToRawLongBits(v) == STALE_NAN_BITS) {
          continue;
        }
        if (n == ts.length) {
          ts = Arrays.copyOf(ts, n * 2);
          vs = Arrays.copyOf(vs, n * 2);
        }
        ts[n] = t;
        vs[n] = v;
        n++;
      }
      return n;
    }

    private void flush() throws IOException {
      if (out == null) {
        ex.setStatusCode(200);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, format.contentType());
        out = ex.getOutputStream();
      }
      if (buf.length() > 0) {
        out.write(buf.toString().getBytes(StandardCharsets.UTF_8));
        buf.setLength(0);
        out.flush();
      }
    }

    /**
     * Before anything was sent the failure is an API error; afterwards the status is gone, so
     * the connection is cut: the client sees an incomplete chunked answer, not a short success.
     */
    private void fail(Exception e) throws IOException {
      if (out == null) {
        Responses.error(ex, ErrorType.EXECUTION, String.valueOf(e.getMessage()), List.of());
        return;
      }
      LOG.log(Level.WARNING, "export failed after its answer had started; closing the"
          + " connection", e);
      ex.getConnection().close();
    }
  }

  private static void rethrow(Exception e) throws IOException {
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e != null) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Whether an earlier matcher set selects these labels too. */
  static boolean matchedBefore(Labels l, List<List<Matcher>> sets, int index) {
    for (int j = 0; j < index; j++) {
      boolean all = true;
      for (Matcher m : sets.get(j)) {
        if (!m.matches(l.get(m.name()))) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}
