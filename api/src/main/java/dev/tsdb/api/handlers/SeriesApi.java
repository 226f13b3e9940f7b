package dev.tsdb.api.handlers;

import dev.tsdb.api.ApiException;
import dev.tsdb.api.SelectorParser;
import dev.tsdb.api.http.ApiRequest;
import dev.tsdb.api.http.ApiResult;
import dev.tsdb.api.json.ApiJson;
import dev.tsdb.api.params.TimeParams;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.index.storage.MetadataQueryable;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SeriesSet;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The metadata queries: /api/v1/series, /api/v1/labels, /api/v1/label/:name/values and
 * /api/v1/metadata. Times default to Prometheus's MinTime/MaxTime; limit 0 means none, and a
 * truncated answer carries the warning "results truncated due to limit".
 */
public final class SeriesApi {
  private final Queryable storage;
  private final SelectorParser parser;
  private final MetadataQueryable metadata;

  public SeriesApi(Queryable storage, SelectorParser parser, MetadataQueryable metadata) {
    this.storage = storage;
    this.parser = parser;
    this.metadata = metadata;
  }

  public ApiResult series(ApiRequest r) throws IOException {
    List<String> match = r.params("match[]");
    if (match.isEmpty()) {
      throw ApiException.badData("no match[] parameter provided");
    }
    int limit = RequestParams.limit(r);
    long start = RequestParams.time(r, "start", TimeParams.MIN_TIME_MS);
    long end = RequestParams.time(r, "end", TimeParams.MAX_TIME_MS);
    List<List<Matcher>> sets;
    try {
      sets = RequestParams.matcherSets(match, parser);
    } catch (ApiException e) {
      throw ApiException.invalidParam("match[]", e.getMessage());
    }
    // Always sorted: Prometheus sorts whenever it merges several blocks or several match[].
    TreeSet<Labels> found = new TreeSet<>();
    List<String> warnings = new ArrayList<>();
    try (Querier q = open(start, end)) {
      for (List<Matcher> ms : sets) {
        SeriesSet ss = q.select(true, new SelectHints(start, end, 0, 0, "series", List.of(),
            false), ms.toArray(new Matcher[0]));
        while (ss.next()) {
          found.add(ss.at().labels());
        }
        if (ss.error() != null) {
          throw new ApiException(ErrorType.EXECUTION, ss.error().getMessage());
        }
        warnings.addAll(ss.warnings());
      }
    }
    List<Labels> out = new ArrayList<>(found);
    if (limit > 0 && out.size() > limit) {
      out = out.subList(0, limit);
      warnings.add(RequestParams.TRUNCATED);
    }
    List<Labels> result = out;
    return ApiResult.withWarnings(g -> {
      g.writeStartArray();
      for (Labels l : result) {
        ApiJson.writeLabels(g, l);
      }
      g.writeEndArray();
    }, warnings);
  }

  public ApiResult labelNames(ApiRequest r) throws IOException {
    int limit = RequestParams.limit(r);
    long start = RequestParams.time(r, "start", TimeParams.MIN_TIME_MS);
    long end = RequestParams.time(r, "end", TimeParams.MAX_TIME_MS);
    List<List<Matcher>> sets = RequestParams.matcherSets(r.params("match[]"), parser);
    TreeSet<String> names = new TreeSet<>();
    try (Querier q = open(start, end)) {
      if (sets.isEmpty()) {
        names.addAll(q.labelNames());
      }
      for (List<Matcher> ms : sets) {
        names.addAll(q.labelNames(ms.toArray(new Matcher[0])));
      }
    }
    return strings(new ArrayList<>(names), limit);
  }

  public ApiResult labelValues(ApiRequest r) throws IOException {
    String name = r.pathParam("name");
    if (name.startsWith("U__")) {
      name = LabelNameEscaping.unescape(name);
    }
    if (name.isEmpty()) {
      throw ApiException.badData("invalid label name: \"" + name + "\"");
    }
    int limit = RequestParams.limit(r);
    long start = RequestParams.time(r, "start", TimeParams.MIN_TIME_MS);
    long end = RequestParams.time(r, "end", TimeParams.MAX_TIME_MS);
    List<List<Matcher>> sets = RequestParams.matcherSets(r.params("match[]"), parser);
    TreeSet<String> values = new TreeSet<>();
    try (Querier q = open(start, end)) {
      if (sets.isEmpty()) {
        values.addAll(q.labelValues(name));
      }
      for (List<Matcher> ms : sets) {
        values.addAll(q.labelValues(name, ms.toArray(new Matcher[0])));
      }
    }
    return strings(new ArrayList<>(values), limit);
  }

  /**
   * /api/v1/metadata (limit, limit_per_metric, metric) from the metadata remote-write senders
   * reported, as the storage keeps it. As in Prometheus, limit=0 answers no families and
   * limit_per_metric 0 means no limit; families are listed in name order.
   */
  public ApiResult metricMetadata(ApiRequest r) throws IOException {
    int limit = numberParam(r, "limit", "limit must be a number");
    int perMetric = numberParam(r, "limit_per_metric", "limit_per_metric must be a number");
    String metric = r.param("metric");
    Map<String, List<MetricMetadata>> found = limit == 0 ? Map.of()
        : metadata.metricMetadata(metric, Math.max(0, limit), Math.max(0, perMetric));
    return ApiResult.of(g -> {
      g.writeStartObject();
      for (Map.Entry<String, List<MetricMetadata>> e : found.entrySet()) {
        g.writeArrayFieldStart(e.getKey());
        for (MetricMetadata md : e.getValue()) {
          g.writeStartObject();
          g.writeStringField("type", md.type());
          // Prometheus 3's field order (2.x wrote help before unit).
          g.writeStringField("unit", md.unit());
          g.writeStringField("help", md.help());
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    });
  }

  private static int numberParam(ApiRequest r, String name, String error) throws IOException {
    String s = r.param(name);
    if (s.isEmpty()) {
      return -1;
    }
    try {
      return RequestParams.atoi(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.badData(error);
    }
  }

  private Querier open(long start, long end) throws IOException {
    return storage.querier(start, end);
  }

  private static ApiResult strings(List<String> values, int limit) {
    List<String> warnings = new ArrayList<>();
    List<String> out = values;
    if (limit > 0 && out.size() > limit) {
      out = out.subList(0, limit);
      warnings.add(RequestParams.TRUNCATED);
    }
    List<String> result = out;
    return ApiResult.withWarnings(g -> {
      g.writeStartArray();
      for (String s : result) {
        g.writeString(s);
      }
      g.writeEndArray();
    }, warnings);
  }
}
