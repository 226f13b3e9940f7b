package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Oversized request bodies are refused with 413, whether announced or streamed. */
class BodyLimitsTest {
  @TempDir
  Path dir;

  @Test
  void oversizedBodiesGet413() throws Exception {
    try (TestServer ts = new TestServer(dir, "--web.remote-write-receiver.max-bytes=1MiB")) {
      byte[] big = new byte[(10 << 20) + 10];
      Arrays.fill(big, (byte) 'a');
      big[0] = 'q';
      // A form body above Go's 10 MB ParseForm limit, with and without Content-Length.
      HttpResponse<String> r = ts.http.send(HttpRequest.newBuilder(
              URI.create(ts.base + "/api/v1/query"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, r.statusCode());
      assertEquals("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"error parsing"
          + " form values: http: POST too large\"}", r.body());
      r = ts.http.send(HttpRequest.newBuilder(URI.create(ts.base + "/api/v1/series"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(413, r.statusCode(), r.body());
      // Remote write above its limit, remote read above 32 MiB.
      r = ts.post("/api/v1/write", TestServer.snappy(new byte[2 << 20]),
          "application/x-protobuf", "snappy");
      assertEquals(413, r.statusCode(), r.body());
      r = ts.post("/api/v1/read", new byte[(32 << 20) + 1], "application/x-protobuf", "snappy");
      assertEquals(413, r.statusCode());
      assertTrue(ts.get("/-/healthy").statusCode() == 200);
    }
  }
}
