package dev.tsdb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.parser.Parser;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Exemplar;
import dev.tsdb.index.storage.ExemplarQueryable;
import dev.tsdb.index.storage.ExemplarSeries;
import dev.tsdb.index.storage.MetadataQueryable;
import dev.tsdb.index.storage.MetricMetadata;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.Queryable;
import dev.tsdb.index.storage.SampleRejectedException;
import dev.tsdb.index.storage.Storage;
import dev.tsdb.testkit.MemStorage;
import io.undertow.Undertow;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * /api/v1/query_exemplars and /api/v1/metadata over storage that keeps exemplars and metadata
 * (what the API hands it and how it prints the answers), and the in-memory metadata fallback
 * for storage that does not.
 */
class ExemplarsMetadataApiTest {
  private Undertow undertow;
  private String base;
  private final HttpClient http = HttpClient.newHttpClient();

  private static final QueryEngine NO_ENGINE = new QueryEngine() {
    @Override
    public QueryResult instantQuery(Queryable s, String q, long t, QueryOptions o) {
      throw new PromQLException(ErrorType.BAD_DATA, "unused");
    }

    @Override
    public QueryResult rangeQuery(Queryable s, String q, long a, long b, long st, QueryOptions o) {
      throw new PromQLException(ErrorType.BAD_DATA, "unused");
    }
  };

  private static final QueryParser PARSER = new QueryParser() {
    @Override
    public Expr parse(String query) {
      return Parser.parseExpr(query);
    }

    @Override
    public String pretty(Expr expr) {
      return "";
    }

    @Override
    public Object toJson(Expr expr) {
      return null;
    }
  };

  /**
   * MemStorage plus what the storage contract asks of exemplar and metadata keeping: exemplars
   * as appended (per series, in order), the latest metadata per family, the matcher sets asked.
   */
  static final class KeepingStorage implements Storage, ExemplarQueryable, MetadataQueryable {
    final MemStorage mem = new MemStorage();
    final Map<Labels, List<Exemplar>> exemplars = new TreeMap<>(
        (a, b) -> a.toString().compareTo(b.toString()));
    final Map<String, MetricMetadata> metadata = new TreeMap<>();
    final List<List<List<Matcher>>> asked = new ArrayList<>();
    final List<long[]> askedRanges = new ArrayList<>();

    @Override
    public Appender appender() {
      Appender a = mem.appender();
      Map<Labels, List<Exemplar>> ex = new TreeMap<>((x, y) -> x.toString().compareTo(y.toString()));
      Map<String, MetricMetadata> md = new TreeMap<>();
      return new Appender() {
        @Override
        public long append(long ref, Labels l, long t, double v) throws SampleRejectedException {
          return a.append(ref, l, t, v);
        }

        @Override
        public void appendExemplar(long ref, Labels l, Exemplar e) {
          ex.computeIfAbsent(l, k -> new ArrayList<>()).add(e);
        }

        @Override
        public void updateMetadata(long ref, Labels l, MetricMetadata m) {
          assertEquals(1, l.size(), "per-family metadata carries only the name");
          md.put(l.get("__name__"), m);
        }

        @Override
        public void commit() throws IOException {
          a.commit();
          synchronized (KeepingStorage.this) {
            ex.forEach((k, v) -> exemplars.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            metadata.putAll(md);
          }
        }

        @Override
        public void rollback() {
          a.rollback();
        }
      };
    }

    @Override
    public synchronized List<ExemplarSeries> selectExemplars(long start, long end,
        List<List<Matcher>> sets) {
      asked.add(sets);
      askedRanges.add(new long[] {start, end});
      List<ExemplarSeries> out = new ArrayList<>();
      exemplars.forEach((series, list) -> {
        for (List<Matcher> set : sets) {
          if (set.stream().allMatch(m -> m.matches(series.get(m.name()) == null ? ""
              : series.get(m.name())))) {
            List<Exemplar> in = list.stream()
                .filter(e -> e.timestampMs() >= start && e.timestampMs() <= end).toList();
            if (!in.isEmpty()) {
              out.add(new ExemplarSeries(series, in));
            }
            break;
          }
        }
      });
      return out;
    }

    @Override
    public synchronized Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit,
        int limitPerMetric) {
      Map<String, List<MetricMetadata>> out = new java.util.LinkedHashMap<>();
      metadata.forEach((k, v) -> {
        if ((metric == null || metric.isEmpty() || metric.equals(k))
            && (limit <= 0 || out.size() < limit)) {
          out.put(k, List.of(v));
        }
      });
      return out;
    }

    @Override
    public Querier querier(long mint, long maxt) throws IOException {
      return mem.querier(mint, maxt);
    }

    @Override
    public long minTime() {
      return mem.minTime();
    }

    @Override
    public long maxTime() {
      return mem.maxTime();
    }

    @Override
    public void close() {}
  }

  private void start(Storage storage) {
    StatusSource status = new FixedStatus("", Map.of(), "15d");
    WebHandler web = WebHandler.builder().storage(storage).engine(NO_ENGINE)
        .selectorParser(Parser::parseMetricSelector).queryParser(PARSER)
        .clock(() -> 1_600_100_000_000L).status(status).build();
    web.readiness().markReady();
    undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(web.handler())
        .build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    base = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stop() {
    if (undertow != null) {
      undertow.stop();
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> write(byte[] req) throws IOException, InterruptedException {
    io.airlift.compress.snappy.SnappyCompressor c = new io.airlift.compress.snappy.SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(req.length)];
    int n = c.compress(req, 0, req.length, out, 0, out.length);
    return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
        .header("Content-Type", "application/x-protobuf").header("Content-Encoding", "snappy")
        .POST(HttpRequest.BodyPublishers.ofByteArray(java.util.Arrays.copyOf(out, n))).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> sorted(List<Matcher> set) {
    return set.stream().map(Matcher::toString).sorted().toList();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static final long T = 1_600_096_945_479L;

  private static byte[] exemplarRequest() {
    PromPb.Series a = PromPb.Series.of(Labels.of("__name__", "req_total", "job", "a"),
        new long[] {T, T + 1000}, new double[] {5, 6}).withExemplars(List.of(
            new PromPb.Exemplar(new String[] {"trace_id", "abc<&>"}, 6, T),
            new PromPb.Exemplar(new String[] {"span", "1", "trace_id", "def"}, 1e-7, T + 1000)));
    PromPb.Series b = PromPb.Series.of(Labels.of("__name__", "req_total", "job", "b"),
        new long[] {T}, new double[] {1}).withExemplars(List.of(
            new PromPb.Exemplar(new String[] {"trace_id", "x"}, 1e22, T - 1000)));
    PromPb.Series c = PromPb.Series.of(Labels.of("__name__", "other", "job", "a"),
        new long[] {T}, new double[] {1}).withExemplars(List.of(
            new PromPb.Exemplar(new String[] {"trace_id", "o"}, 2, T)));
    return PromPb.writeRequest(List.of(a, b, c), List.of(
        new PromPb.Metadata(1, "req_total", "Requests.", ""),
        new PromPb.Metadata(2, "other", "Other <thing>.", "seconds")));
  }

  @Test
  void exemplarsAnsweredFromStorageInPrometheusJson() throws Exception {
    KeepingStorage s = new KeepingStorage();
    start(s);
    assertEquals(204, write(exemplarRequest()).statusCode());

    HttpResponse<String> r = get("/api/v1/query_exemplars?query=" + enc("req_total")
        + "&start=1600096900&end=1600097000");
    assertEquals(200, r.statusCode());
    assertEquals("{\"status\":\"success\",\"data\":["
        + "{\"seriesLabels\":{\"__name__\":\"req_total\",\"job\":\"a\"},\"exemplars\":["
        + "{\"labels\":{\"trace_id\":\"abc<&>\"},\"value\":\"6\","
        + "\"timestamp\":1600096945.479},"
        + "{\"labels\":{\"span\":\"1\",\"trace_id\":\"def\"},\"value\":\"1e-07\","
        + "\"timestamp\":1600096946.479}]},"
        + "{\"seriesLabels\":{\"__name__\":\"req_total\",\"job\":\"b\"},\"exemplars\":["
        + "{\"labels\":{\"trace_id\":\"x\"},\"value\":\"1e+22\",\"timestamp\":1600096944.479}]}"
        + "]}", r.body());
    assertEquals(1600096900_000L, s.askedRanges.get(0)[0]);
    assertEquals(1600097000_000L, s.askedRanges.get(0)[1]);

    // One matcher set per vector selector, as Prometheus's parser.ExtractSelectors.
    r = get("/api/v1/query_exemplars?query=" + enc(
        "rate(req_total{job=\"b\"}[5m]) / on() group_left other{job=~\"a|c\"}"));
    assertEquals(200, r.statusCode(), r.body());
    List<List<Matcher>> sets = s.asked.get(1);
    assertEquals(2, sets.size());
    assertEquals(List.of("__name__=\"req_total\"", "job=\"b\""), sorted(sets.get(0)));
    assertEquals(List.of("__name__=\"other\"", "job=~\"a|c\""), sorted(sets.get(1)));
    assertTrue(r.body().contains("\"seriesLabels\":{\"__name__\":\"other\",\"job\":\"a\"}"),
        r.body());
    assertTrue(r.body().contains("\"seriesLabels\":{\"__name__\":\"req_total\",\"job\":\"b\"}"),
        r.body());
    assertTrue(!r.body().contains("\"job\":\"a\"},\"exemplars\":[{\"labels\":{\"trace_id\":"
        + "\"abc"), r.body());

    // No selectors: 204 without a body, as Prometheus (nil data); nothing found: [].
    r = get("/api/v1/query_exemplars?query=1");
    assertEquals(204, r.statusCode());
    assertEquals("", r.body());
    assertEquals("{\"status\":\"success\",\"data\":[]}",
        get("/api/v1/query_exemplars?query=nothing_here").body());
    assertEquals("{\"status\":\"success\",\"data\":[]}",
        get("/api/v1/query_exemplars?query=req_total&start=0&end=1").body());
  }

  @Test
  void metadataFromStorage() throws Exception {
    KeepingStorage s = new KeepingStorage();
    start(s);
    assertEquals(204, write(exemplarRequest()).statusCode());
    assertEquals("Requests.", s.metadata.get("req_total").help());
    assertEquals("{\"status\":\"success\",\"data\":{"
        + "\"other\":[{\"type\":\"gauge\",\"unit\":\"seconds\","
        + "\"help\":\"Other \\u003cthing\\u003e.\"}],"
        + "\"req_total\":[{\"type\":\"counter\",\"unit\":\"\",\"help\":\"Requests.\"}]}}",
        get("/api/v1/metadata").body());
    assertEquals("{\"status\":\"success\",\"data\":{\"req_total\":[{\"type\":\"counter\","
        + "\"unit\":\"\",\"help\":\"Requests.\"}]}}",
        get("/api/v1/metadata?metric=req_total").body());
    assertEquals("{\"status\":\"success\",\"data\":{}}", get("/api/v1/metadata?limit=0").body());
    assertEquals("{\"status\":\"success\",\"data\":{\"other\":[{\"type\":\"gauge\",\"unit\":"
        + "\"seconds\",\"help\":\"Other \\u003cthing\\u003e.\"}]}}",
        get("/api/v1/metadata?limit=1").body());
    assertEquals("{\"status\":\"success\",\"data\":{}}",
        get("/api/v1/metadata?metric=nope").body());
  }

  @Test
  void storageWithoutExemplarsOrMetadata() throws Exception {
    start(new MemStorage());
    assertEquals(204, write(exemplarRequest()).statusCode());
    assertEquals("{\"status\":\"success\",\"data\":[]}",
        get("/api/v1/query_exemplars?query=req_total").body());
    // Metadata still listed, from the API's own in-memory store.
    assertEquals("{\"status\":\"success\",\"data\":{\"req_total\":[{\"type\":\"counter\","
        + "\"unit\":\"\",\"help\":\"Requests.\"}]}}",
        get("/api/v1/metadata?metric=req_total").body());
    assertEquals("{\"status\":\"success\",\"data\":{\"other\":[{\"type\":\"gauge\",\"unit\":"
        + "\"seconds\",\"help\":\"Other \\u003cthing\\u003e.\"}]}}",
        get("/api/v1/metadata?limit=1&limit_per_metric=1").body());
  }
}
