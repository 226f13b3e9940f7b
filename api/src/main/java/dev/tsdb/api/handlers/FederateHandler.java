package dev.tsdb.api.handlers;

import dev.tsdb.api.ApiException;
import dev.tsdb.api.SelectorParser;
import dev.tsdb.api.http.Params;
import dev.tsdb.api.http.Responses;
import dev.tsdb.api.http.Router;
import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import io.undertow.server.HttpServerExchange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * GET /federate: the latest sample (within the lookback delta) of every series matching any
 * match[], in the Prometheus text exposition format, grouped into untyped families by metric
 * name, with external labels (and an empty {@code instance} unless one is configured) attached
 * where the series lacks them, as Prometheus's web/federate.go does.
 */
public final class FederateHandler implements Router.RouteHandler {
  /** Prometheus's staleness marker. */
  private static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  private final Queryable storage;
  private final SelectorParser parser;
  private final Supplier<Labels> externalLabels;
  private final LongSupplier clock;
  private final long lookbackMs;

  public FederateHandler(Queryable storage, SelectorParser parser,
      Supplier<Labels> externalLabels, LongSupplier clock, long lookbackMs) {
    this.storage = storage;
    this.parser = parser;
    this.externalLabels = externalLabels;
    this.clock = clock;
    this.lookbackMs = lookbackMs;
  }

  private record Latest(Labels labels, long t, double v) {}

  @Override
  public void handle(HttpServerExchange ex, Map<String, String> pathParams) throws Exception {
    Params params = Params.ofQuery(ex.getQueryString());
    List<List<Matcher>> sets;
    try {
      sets = RequestParams.matcherSets(params.getAll("match[]"), parser);
    } catch (ApiException e) {
      Responses.text(ex, 400, e.getMessage());
      return;
    }
    long maxt = clock.getAsLong();
    long mint = maxt - lookbackMs;
    TreeMap<Labels, Latest> found = new TreeMap<>();
    try (Querier q = storage.querier(mint, maxt)) {
      SampleIterator reuse = null;
      for (List<Matcher> ms : sets) {
        SeriesSet ss = q.select(false, new SelectHints(mint, maxt, 0, 0, "series", List.of(),
            false), ms.toArray(new Matcher[0]));
        while (ss.next()) {
          Labels l = ss.at().labels();
          if (found.containsKey(l)) {
            continue;
          }
          SampleIterator it = ss.at().iterator(reuse);
          reuse = it;
          long t = Long.MIN_VALUE;
          double v = 0;
          while (it.next() == ValueType.FLOAT && it.t() <= maxt) {
            t = it.t();
            v = it.v();
          }
          if (t < mint || Double.doubleToRawLongBits(v) == STALE_NAN_BITS) {
            continue;
          }
          found.put(l, new Latest(l, t, v));
        }
      }
    }
    List<Latest> vec = new ArrayList<>(found.values());
    vec.sort(Comparator.comparing(s -> s.labels().metricName()));
    // External labels sorted by name, plus instance="" unless configured (as Prometheus does).
    TreeMap<String, String> ext = new TreeMap<>();
    externalLabels.get().forEach(ext::put);
    ext.putIfAbsent("instance", "");
    StringBuilder sb = new StringBuilder();
    String family = null;
    for (Latest s : vec) {
      String name = s.labels().metricName();
      if (!name.equals(family)) {
        family = name;
        sb.append("# TYPE ").append(name).append(" untyped\n");
      }
      sb.append(name);
      boolean first = true;
      for (int i = 0; i < s.labels().size(); i++) {
        String n = s.labels().name(i);
        if (n.equals(Labels.METRIC_NAME)) {
          continue;
        }
        first = label(sb, first, n, s.labels().value(i));
      }
      for (Map.Entry<String, String> e : ext.entrySet()) {
        if (!s.labels().has(e.getKey())) {
          first = label(sb, first, e.getKey(), e.getValue());
        }
      }
      if (!first) {
        sb.append('}');
      }
      sb.append(' ').append(s.v() == 0 ? "0" : GoFloat.formatG(s.v()));
      sb.append(' ').append(s.t()).append('\n');
    }
    Responses.send(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
        sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static boolean label(StringBuilder sb, boolean first, String name, String value) {
    sb.append(first ? '{' : ',');
    sb.append(name).append('=');
    appendEscaped(sb, value);
    return false;
  }

  /** The text format escapes backslash, double quote and newline in label values. */
  private static void appendEscaped(StringBuilder sb, String v) {
    sb.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        default -> sb.append(c);
      }
    }
    sb.append('"');
  }
}
