package dev.tsdb.api.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.MemStorage;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** POST /api/v1/import and /api/v1/import/prometheus: formats, options, errors. */
class ImportHandlerTest {
  static final long NOW = 1_700_000_000_000L;
  private final MemStorage storage = new MemStorage();
  private final ImportExportHttp http = new ImportExportHttp(storage, NOW);

  @AfterEach
  void stop() {
    http.close();
  }

  /** Every stored sample as "labels t=v" lines, sorted by series. */
  static List<String> dump(MemStorage s) throws Exception {
    TreeMap<Labels, List<String>> out = new TreeMap<>();
    try (Querier q = s.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, null, Matcher.re("__name__", ".+"));
      SampleIterator it = null;
      while (ss.next()) {
        it = ss.at().iterator(it);
        List<String> samples = new ArrayList<>();
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          samples.add(it.t() + "=" + (vt == ValueType.FLOAT ? String.valueOf(it.v()) : "hist"));
        }
        out.put(ss.at().labels(), samples);
      }
    }
    List<String> lines = new ArrayList<>();
    out.forEach((l, v) -> lines.add(l + " " + String.join(" ", v)));
    return lines;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.post(path, body.getBytes(StandardCharsets.UTF_8), null, null);
  }

  @Test
  void jsonLinesWithSpecialValuesAndExtraLabels() throws Exception {
    String body = "{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"values\":[1,0.5,NaN],"
        + "\"timestamps\":[1000,2000,3000]}\n"
        + "\n"
        + "{\"metric\":{\"__name__\":\"x\",\"y\":\"\\\"q\\u00fc\"},\"values\":[+Inf,\"-Inf\",null,"
        + "-Inf,\"Infinity\"],\"timestamps\":[1,2,3,4,5],\"other\":{\"a\":[1,{}]}}\r\n";
    HttpResponse<String> r = post("/api/v1/import?extra_label=env=prod&extra_label=job=b",
        body);
    assertEquals(204, r.statusCode(), r.body());
    assertEquals(List.of(
        "{__name__=\"up\", env=\"prod\", job=\"b\"} 1000=1.0 2000=0.5 3000=NaN",
        "{__name__=\"x\", env=\"prod\", job=\"b\", y=\"\\\"qü\"} 1=Infinity 2=-Infinity 3=NaN"
            + " 4=-Infinity 5=Infinity"), dump(storage));
  }

  @Test
  void aLineThatDoesNotParseFailsTheRequestWithItsNumberAndStoresNothing() throws Exception {
    String body = "{\"metric\":{\"__name__\":\"up\"},\"values\":[1],\"timestamps\":[1000]}\n"
        + "{\"metric\":{\"__name__\":\"up\"},\"values\":[1,2],\"timestamps\":[1000]}\n";
    HttpResponse<String> r = post("/api/v1/import", body);
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("\"errorType\":\"bad_data\""), r.body());
    assertTrue(r.body().contains("line 2: `timestamps` array size must match `values` array"
        + " size; got 1; want 2"), r.body());
    assertEquals(List.of(), dump(storage));

    for (String bad : List.of("{\"values\":[1],\"timestamps\":[1]}",
        "{\"metric\":{},\"values\":[1],\"timestamps\":[1]}",
        "{\"metric\":{\"__name__\":\"a\"},\"values\":[],\"timestamps\":[]}",
        "{\"metric\":{\"__name__\":\"a\"},\"values\":[\"x\"],\"timestamps\":[1]}",
        "{\"metric\":{\"__name__\":\"a\"},\"values\":[1],\"timestamps\":[1.5]}",
        "{\"metric\":{\"__name__\":\"a\"},\"values\":[1],\"timestamps\":[1]} trailing",
        "not json")) {
      HttpResponse<String> e = post("/api/v1/import", bad);
      assertEquals(400, e.statusCode(), bad);
      assertTrue(e.body().contains("line 1: "), e.body());
    }
  }

  @Test
  void expositionTextWithAndWithoutTimestamps() throws Exception {
    String body = "# HELP http_requests_total Requests.\n"
        + "# TYPE http_requests_total counter\n"
        + "http_requests_total{code=\"200\",path=\"/a\\\\b\\n\"} 1027 1395066363000\n"
        + "http_requests_total{code=\"400\"} 3\n"
        + "  temp_celsius -1.5e1   1395066363001  \n"
        + "{\"utf8.metric\",\"a.b\"=\"c\"} +Inf 5 # {trace_id=\"x\"} 1 1\n"
        + "no_labels{} NaN\n";
    HttpResponse<String> r = post("/api/v1/import/prometheus?timestamp=42", body);
    assertEquals(204, r.statusCode(), r.body());
    assertEquals(List.of(
        "{__name__=\"http_requests_total\", code=\"200\", path=\"/a\\\\b\\n\"} 1395066363000=1027.0",
        "{__name__=\"http_requests_total\", code=\"400\"} 42=3.0",
        "{__name__=\"no_labels\"} 42=NaN",
        "{__name__=\"temp_celsius\"} 1395066363001=-15.0",
        "{__name__=\"utf8.metric\", \"a.b\"=\"c\"} 5=Infinity"), dump(storage));
  }

  @Test
  void samplesWithoutTimestampGetTheRequestTime() throws Exception {
    assertEquals(204, post("/api/v1/import/prometheus", "up 1\n").statusCode());
    assertEquals(List.of("{__name__=\"up\"} " + NOW + "=1.0"), dump(storage));
  }

  @Test
  void openMetricsTimestampsAreSeconds() throws Exception {
    String body = "# TYPE foo counter\nfoo_total 17.0 1520879607.789\nfoo_total 18 1520879608\n"
        + "# EOF\n";
    HttpResponse<String> r = http.post("/api/v1/import/prometheus",
        body.getBytes(StandardCharsets.UTF_8),
        "application/openmetrics-text; version=1.0.0; charset=utf-8", null);
    assertEquals(204, r.statusCode(), r.body());
    assertEquals(List.of("{__name__=\"foo_total\"} 1520879607789=17.0 1520879608000=18.0"),
        dump(storage));
  }

  @Test
  void expositionErrorsNameTheLine() throws Exception {
    for (String bad : List.of("up", "up{a=\"b\" 1", "up{a=b} 1", "up x", "up 1 1.5",
        "up{a=\"1\",a=\"2\"} 1", "{a=\"b\"} 1", "up 1 2 3", "up{a=\"b\\q\"} 1")) {
      HttpResponse<String> r = post("/api/v1/import/prometheus", "ok 1 1\n" + bad + "\n");
      assertEquals(400, r.statusCode(), bad);
      assertTrue(r.body().contains("line 2: "), bad + " -> " + r.body());
    }
    assertEquals(List.of(), dump(storage));
  }

  @Test
  void gzipBodies() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
      gz.write("a 1 1000\nb 2 2000\n".getBytes(StandardCharsets.UTF_8));
    }
    HttpResponse<String> r = http.post("/api/v1/import/prometheus", buf.toByteArray(), null,
        "gzip");
    assertEquals(204, r.statusCode(), r.body());
    assertEquals(List.of("{__name__=\"a\"} 1000=1.0", "{__name__=\"b\"} 2000=2.0"),
        dump(storage));
    r = http.post("/api/v1/import", "not gzip".getBytes(StandardCharsets.UTF_8), null, "gzip");
    assertEquals(400, r.statusCode(), r.body());
    r = http.post("/api/v1/import", new byte[0], null, "br");
    assertEquals(415, r.statusCode(), r.body());
  }

  @Test
  void refusedSamplesAreCountedTheRestStored() throws Exception {
    long future = NOW + ImportHandler.MAX_AHEAD_MS + 1;
    HttpResponse<String> r = post("/api/v1/import/prometheus", "a 1 1000\na 2 " + future
        + "\n");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("1 of 2 samples refused, the other 1 stored; first: line 2: "
        + "{__name__=\\\"a\\\"} at " + future + ": out of bounds"), r.body());
    assertEquals(List.of("{__name__=\"a\"} 1000=1.0"), dump(storage));
  }

  @Test
  void badArguments() throws Exception {
    assertEquals(400, post("/api/v1/import?extra_label=foo", "").statusCode());
    assertEquals(400, post("/api/v1/import/prometheus?timestamp=now", "").statusCode());
  }

  @Test
  void bodiesAboveTheLimitAre413() throws Exception {
    StringBuilder sb = new StringBuilder();
    while (sb.length() <= 1 << 20) {
      sb.append("some_metric_name{label=\"value\"} 1 1000\n");
    }
    HttpResponse<String> r = post("/api/v1/import/prometheus", sb.toString());
    assertEquals(413, r.statusCode());
    assertTrue(r.body().contains("promtool tsdb create-blocks-from"), r.body());
    assertEquals(List.of(), dump(storage));
  }
}
