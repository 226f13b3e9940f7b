package dev.tsdb.api.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.histogram.FloatHistogram;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.testkit.MemStorage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET/POST /api/v1/export and /api/v1/export/prometheus, and reading the output back. */
class ExportHandlerTest {
  private static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);
  private final MemStorage storage = new MemStorage();
  private final ImportExportHttp http = new ImportExportHttp(storage, 10_000);

  @BeforeEach
  void fill() throws Exception {
    Appender a = storage.appender();
    Labels up = Labels.of("__name__", "up", "job", "a\"b");
    a.append(0, up, 1000, 1);
    a.append(0, up, 2000, 0.1);
    a.append(0, up, 3000, STALE);
    a.append(0, up, 4000, 1e21);
    a.append(0, up, 5000, Double.NaN);
    a.append(0, up, 6000, Double.NEGATIVE_INFINITY);
    a.append(0, up, 7000, 1e-7);
    a.append(0, up, 8000, -0.0);
    Labels other = Labels.of("__name__", "other", "job", "x");
    a.append(0, other, 1500, 123456789.5);
    a.append(0, other, 20_000, 2); // after the default end (now)
    Labels hist = Labels.of("__name__", "hist", "job", "x");
    a.appendHistogram(0, hist, 1000, null, new FloatHistogram());
    a.commit();
  }

  @AfterEach
  void stop() {
    http.close();
  }

  @Test
  void jsonLinesAsVictoriaMetricsWritesThem() throws Exception {
    HttpResponse<String> r = http.get("/api/v1/export?match[]=" + ImportExportHttp.enc("up"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("application/stream+json; charset=utf-8",
        r.headers().firstValue("Content-Type").orElseThrow());
    // The staleness marker is left out; NaN and the infinities are bare words, as VM writes.
    assertEquals("{\"metric\":{\"__name__\":\"up\",\"job\":\"a\\\"b\"},"
        + "\"values\":[1,0.1,1000000000000000000000,NaN,-Inf,0.0000001,0],"
        + "\"timestamps\":[1000,2000,4000,5000,6000,7000,8000]}\n", r.body());
  }

  @Test
  void severalMatchersEachSeriesOnceTimeRangeAndNoHistograms() throws Exception {
    String q = "match[]=" + ImportExportHttp.enc("{job=~\"x|a.*\"}") + "&match[]="
        + ImportExportHttp.enc("other") + "&start=1.2&end=1970-01-01T00:00:06Z";
    HttpResponse<String> r = http.post("/api/v1/export", q.getBytes(StandardCharsets.UTF_8),
        "application/x-www-form-urlencoded", null);
    assertEquals(200, r.statusCode(), r.body());
    String body = r.body();
    assertEquals(2, body.lines().count(), body);
    assertTrue(body.contains("{\"metric\":{\"__name__\":\"other\",\"job\":\"x\"},"
        + "\"values\":[123456789.5],\"timestamps\":[1500]}\n"), body);
    assertTrue(body.contains("\"values\":[0.1,1000000000000000000000,NaN,-Inf],"
        + "\"timestamps\":[2000,4000,5000,6000]}\n"), body);
  }

  @Test
  void prometheusTextOneLinePerSample() throws Exception {
    HttpResponse<String> r = http.get("/api/v1/export/prometheus?match="
        + ImportExportHttp.enc("{__name__=~\"up|other\"}") + "&end=7");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("text/plain; charset=utf-8",
        r.headers().firstValue("Content-Type").orElseThrow());
    // Series in the storage's order (not sorted), each sample on its own line.
    assertEquals("up{job=\"a\\\"b\"} 1 1000\n"
        + "up{job=\"a\\\"b\"} 0.1 2000\n"
        + "up{job=\"a\\\"b\"} 1000000000000000000000 4000\n"
        + "up{job=\"a\\\"b\"} NaN 5000\n"
        + "up{job=\"a\\\"b\"} -Inf 6000\n"
        + "up{job=\"a\\\"b\"} 0.0000001 7000\n"
        + "other{job=\"x\"} 123456789.5 1500\n", r.body());
  }

  @Test
  void errorsAreApiErrors() throws Exception {
    HttpResponse<String> r = http.get("/api/v1/export");
    assertEquals(400, r.statusCode());
    assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"no match[] parameter provided\"}", r.body());
    r = http.get("/api/v1/export?match[]=" + ImportExportHttp.enc("{a=\"\"}"));
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("match[] must contain at least one non-empty matcher"));
    r = http.get("/api/v1/export?match[]=up&start=yesterday");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("invalid parameter \\\"start\\\""), r.body());
  }

  @Test
  void bothFormatsImportBackToTheSameSamples() throws Exception {
    for (String path : new String[] {"/api/v1/export", "/api/v1/export/prometheus"}) {
      String exported = http.get(path + "?match[]=" + ImportExportHttp.enc("{job!=\"\"}")
          + "&end=100").body();
      MemStorage copy = new MemStorage();
      try (ImportExportHttp other = new ImportExportHttp(copy, 10_000)) {
        String importPath = path.replace("export", "import");
        HttpResponse<String> r = other.post(importPath,
            exported.getBytes(StandardCharsets.UTF_8), null, null);
        assertEquals(204, r.statusCode(), r.body());
      }
      // Everything but the staleness marker and the histogram comes back.
      MemStorage want = new MemStorage();
      Appender a = want.appender();
      Labels up = Labels.of("__name__", "up", "job", "a\"b");
      a.append(0, up, 1000, 1);
      a.append(0, up, 2000, 0.1);
      a.append(0, up, 4000, 1e21);
      a.append(0, up, 5000, Double.NaN);
      a.append(0, up, 6000, Double.NEGATIVE_INFINITY);
      a.append(0, up, 7000, 1e-7);
      a.append(0, up, 8000, 0);
      Labels other = Labels.of("__name__", "other", "job", "x");
      a.append(0, other, 1500, 123456789.5);
      a.append(0, other, 20_000, 2);
      a.commit();
      assertEquals(ImportHandlerTest.dump(want), ImportHandlerTest.dump(copy), path);
    }
  }
}
