package dev.tsdb.api.handlers;

import dev.tsdb.api.ApiException;
import dev.tsdb.api.SelectorParser;
import dev.tsdb.api.http.Params;
import dev.tsdb.api.http.Responses;
import dev.tsdb.api.http.Router;
import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
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
 * match[], with external labels (and an empty {@code instance} unless one is configured) attached
 * where the series lacks them, as Prometheus's web/federate.go does. The Accept header picks the
 * text exposition format (floats only) or delimited protobuf (floats and native histograms).
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
    ExpositionFormat.Negotiated format = ExpositionFormat.negotiate(
        ex.getRequestHeaders().getFirst(Headers.ACCEPT));
    long maxt = clock.getAsLong();
    long mint = maxt - lookbackMs;
    TreeMap<Labels, FederatedSample> found = new TreeMap<>();
    try (Querier q = storage.querier(mint, maxt)) {
      SampleIterator reuse = null;
      for (List<Matcher> ms : sets) {
        // Plain range hints (as Prometheus): the "series" hint would let blocks skip samples.
        SeriesSet ss = q.select(false, SelectHints.range(mint, maxt), ms.toArray(new Matcher[0]));
        while (ss.next()) {
          Labels l = ss.at().labels();
          if (found.containsKey(l)) {
            continue;
          }
          SampleIterator it = ss.at().iterator(reuse);
          reuse = it;
          FederatedSample latest = latest(l, it, mint, maxt);
          if (latest != null) {
            found.put(l, latest);
          }
        }
      }
    }
    List<FederatedSample> vec = new ArrayList<>(found.values());
    vec.sort(Comparator.comparing(s -> s.labels().metricName()));
    // External labels sorted by name, plus instance="" unless configured (as Prometheus does).
    TreeMap<String, String> ext = new TreeMap<>();
    externalLabels.get().forEach(ext::put);
    ext.putIfAbsent("instance", "");
    byte[] body = format.format() == ExpositionFormat.PROTO_DELIMITED
        ? FederationProtobuf.render(vec, ext)
        : FederationText.render(vec, ext).getBytes(StandardCharsets.UTF_8);
    Responses.send(ex, 200, format.contentType(), body);
  }

  /**
   * The series' newest sample at or before {@code maxt}, float or histogram, or null when it is
   * older than {@code mint} or a staleness marker (the exposition formats have no stale markers).
   */
  private static FederatedSample latest(Labels l, SampleIterator it, long mint, long maxt) {
    long t = Long.MIN_VALUE;
    double v = 0;
    FloatHistogram h = null;
    FloatHistogram buffer = null;
    for (ValueType vt = it.next(); vt != ValueType.NONE && it.t() <= maxt; vt = it.next()) {
      t = it.t();
      if (vt == ValueType.FLOAT) {
        v = it.v();
        h = null;
      } else {
        buffer = it.atFloatHistogram(buffer); // refilled in place: only the last one is kept
        h = buffer;
      }
    }
    if (t < mint) {
      return null;
    }
    double staleCheck = h != null ? h.sum : v;
    if (Double.doubleToRawLongBits(staleCheck) == STALE_NAN_BITS) {
      return null;
    }
    return new FederatedSample(l, t, h != null ? 0 : v, h);
  }
}
