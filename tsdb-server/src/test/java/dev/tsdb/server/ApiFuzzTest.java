package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.index.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded fuzzer over the HTTP surface: random and mutated query parameters (GET and form
 * POST) on every query endpoint, and mutated remote-write and remote-read bodies (bad protobuf
 * inside good snappy, bad snappy, odd headers), sent over raw sockets so that malformed URLs
 * reach the server too. Nothing may crash: no 5xx other than query timeouts, no Java exception
 * text in a body, no hang (every answer within 30 s), the server keeps answering, and threads
 * and file descriptors stay where they were. Reproduce with -Dfuzz.seed=..., scale with
 * -Dfuzz.count=....
 */
class ApiFuzzTest {
  static final long SEED = Long.getLong("fuzz.seed", 20261123L);
  static final int COUNT = Integer.getInteger("fuzz.count", 10_000);
  static final long NOW = 1_700_000_000_000L;

  @TempDir
  Path dir;

  static final String[] QUERIES = {
      "up", "fz_counter", "rate(fz_counter[5m])", "sum by (job) (fz_gauge)",
      "histogram_quantile(0.9, sum by (le) (rate(fz_bucket[1m])))", "fz_gauge[5m:1m]",
      "topk(3, fz_gauge)", "label_replace(fz_gauge, \"a\", \"$1\", \"job\", \"(.*)\")",
      "fz_gauge offset 5m", "fz_gauge @ 1700000000", "{__name__=~\"fz_.+\"}", "1 + 2 * 3",
      "-fz_gauge", "count_values(\"v\", fz_gauge)", "quantile_over_time(0.5, fz_gauge[10m])",
      "absent(nope)", "fz_gauge and on(job) fz_counter", "sort_desc(fz_gauge)", "time()",
      "vector(1)", "\"str\"", "fz_gauge{job!~\"a|b\", instance=\"x\"}", "scalar(fz_gauge)",
      "sum(rate(fz_counter[1m0s])) / ignoring(job) group_left sum(fz_gauge)",
      "max_over_time(deriv(fz_gauge[5m])[10m:30s])", "predict_linear(fz_gauge[5m], 60)",
      "fz_gauge > bool 1", "clamp(fz_gauge, 0, 1)", "{job=\"api\"}",
  };
  static final String[] TIMES = {"1700000000", "1700000000.5", "-1", "1e20", "NaN", "Inf",
      "2023-11-14T22:13:20Z", "", "abc", "1699999000", "0", "9223372036854775807", "1e-3"};
  static final String[] DURATIONS = {"15s", "1m0s", "0", "-1", "1e-9", "1y", "5x", "15",
      "0.001", "", "3h", "1e15", "NaN"};
  static final String[] LIMITS = {"0", "-1", "10", "abc", "99999999999999999999", "", "1"};
  static final String[] NAMES = {"job", "__name__", "1bad", "U__a_2e_b", "", "le", "é", "a b",
      "instance"};
  static final int[] ODD = ("{}[]()\"'`\\ ,=~!@:;+-*/%^<>|\t\n\r#?&é\u0000\uffff\ud83d\ude00"
      + "0123456789.eEaxZ_").codePoints().toArray();

  private final List<String> failures = new ArrayList<>();
  /** Remote-write timestamps only move forward, so that valid writes are accepted. */
  private long nextWriteTime = System.currentTimeMillis() - 600_000;
  private final java.util.TreeMap<Integer, Integer> statuses = new java.util.TreeMap<>();
  private int port;

  @Test
  void nothingCrashesHangsOrLeaks() throws Exception {
    try (TestServer ts = new TestServer(dir, "--query.timeout=2s", "--query.max-samples=200000",
        "--web.read-timeout=10s")) {
      port = ts.server.port();
      seed(ts);
      Random rnd = new Random(SEED);
      for (int i = 0; i < 200; i++) {
        one(rnd, i); // warm up pools and lazily created meters
      }
      Thread.sleep(500);
      int threads = ManagementFactory.getThreadMXBean().getThreadCount();
      long fds = openFds();
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      int sent = 0;
      for (; sent < COUNT && System.nanoTime() < deadline; sent++) {
        one(rnd, sent);
      }
      assertTrue(sent == COUNT, "only " + sent + " of " + COUNT + " inputs within 5 minutes");
      // The inputs reach both the accepting and the refusing paths.
      for (int code : new int[] {200, 204, 400}) {
        assertTrue(statuses.getOrDefault(code, 0) > COUNT / 100, "statuses " + statuses);
      }
      assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
          failures.size() + " failures (seed " + SEED + ")");
      assertEquals(200, ts.get("/-/ready").statusCode());
      assertEquals(200, ts.get("/api/v1/query?query=sum(fz_gauge)&time=1700000000")
          .statusCode());
      Thread.sleep(500);
      int threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
      long fdsAfter = openFds();
      assertTrue(threadsAfter <= threads + 8, "threads " + threads + " -> " + threadsAfter);
      assertTrue(fdsAfter <= fds + 8, "fds " + fds + " -> " + fdsAfter);
    }
  }

  private static void seed(TestServer ts) throws Exception {
    List<PromPb.Series> s = new ArrayList<>();
    long[] t = new long[40];
    double[] v = new double[40];
    for (int i = 0; i < t.length; i++) {
      t[i] = NOW - 600_000 + 15_000L * i;
      v[i] = i;
    }
    for (String job : new String[] {"api", "web"}) {
      s.add(PromPb.Series.of(Labels.of("__name__", "fz_counter", "job", job), t, v));
      s.add(PromPb.Series.of(Labels.of("__name__", "fz_gauge", "job", job, "instance", "x"), t,
          v));
      for (String le : new String[] {"0.1", "1", "+Inf"}) {
        s.add(PromPb.Series.of(Labels.of("__name__", "fz_bucket", "job", job, "le", le), t, v));
      }
    }
    assertEquals(204, ts.write(PromPb.writeRequest(s, List.of())).statusCode());
  }

  /** One random input. */
  private void one(Random rnd, int i) throws IOException {
    int kind = rnd.nextInt(10);
    if (kind < 5) {
      get(rnd);
    } else if (kind < 7) {
      form(rnd);
    } else if (kind < 9) {
      remoteWrite(rnd);
    } else {
      remoteRead(rnd);
    }
  }

  private static <T> T pick(Random rnd, T[] a) {
    return a[rnd.nextInt(a.length)];
  }

  /** A corpus entry, mutated a few times (or not). */
  static String mutate(Random rnd, String s) {
    StringBuilder sb = new StringBuilder(s);
    int ops = rnd.nextInt(4);
    for (int k = 0; k < ops; k++) {
      int pos = sb.length() == 0 ? 0 : rnd.nextInt(sb.length() + 1);
      switch (rnd.nextInt(6)) {
        case 0 -> sb.insert(pos, Character.toString(ODD[rnd.nextInt(ODD.length)]));
        case 1 -> {
          if (pos < sb.length()) {
            sb.deleteCharAt(pos);
          }
        }
        case 2 -> {
          if (pos < sb.length()) {
            sb.replace(pos, pos + 1, Character.toString(ODD[rnd.nextInt(ODD.length)]));
          }
        }
        case 3 -> {
          int end = Math.min(sb.length(), pos + 1 + rnd.nextInt(8));
          sb.insert(pos, sb.substring(pos, end));
        }
        case 4 -> sb.insert(pos, pick(rnd, new String[] {"1e309", "99999999999999999999",
            "-0", "[1y:1ms]", "[0s]", "offset -1y", "@ end()", "(", ")", "\"\\u", "{", "}"}));
        default -> sb.setLength(pos);
      }
    }
    return sb.toString();
  }

  /** Percent-encodes, or now and then leaves raw bytes (spaces, '%', non-ASCII). */
  static String enc(Random rnd, String s) {
    if (rnd.nextInt(8) == 0) {
      return s.replace("&", "%26").replace("#", "%23").replace("\r", "").replace("\n", "")
          .replace(" ", rnd.nextBoolean() ? "+" : " ");
    }
    String e = TestServer.enc(s);
    if (rnd.nextInt(20) == 0) {
      e += pick(rnd, new String[] {"%", "%z", "%zz", "%ff", "%00", "%C3%28"});
    }
    return e;
  }

  private String params(Random rnd, String endpoint) {
    String q = mutate(rnd, pick(rnd, QUERIES));
    StringBuilder sb = new StringBuilder();
    switch (endpoint) {
      case "/api/v1/query" -> sb.append("query=").append(enc(rnd, q))
          .append("&time=").append(enc(rnd, mutate(rnd, pick(rnd, TIMES))));
      case "/api/v1/query_range" -> sb.append("query=").append(enc(rnd, q))
          .append("&start=").append(enc(rnd, pick(rnd, TIMES)))
          .append("&end=").append(enc(rnd, pick(rnd, TIMES)))
          .append("&step=").append(enc(rnd, mutate(rnd, pick(rnd, DURATIONS))));
      case "/api/v1/series", "/api/v1/labels", "/federate" -> {
        sb.append("match[]=").append(enc(rnd, q));
        if (rnd.nextBoolean()) {
          sb.append("&match[]=").append(enc(rnd, mutate(rnd, pick(rnd, QUERIES))));
        }
        sb.append("&start=").append(enc(rnd, pick(rnd, TIMES)));
      }
      case "/api/v1/query_exemplars" -> sb.append("query=").append(enc(rnd, q))
          .append("&start=").append(enc(rnd, pick(rnd, TIMES)))
          .append("&end=").append(enc(rnd, pick(rnd, TIMES)));
      case "/api/v1/metadata" -> sb.append("metric=").append(enc(rnd, q))
          .append("&limit_per_metric=").append(enc(rnd, pick(rnd, LIMITS)));
      case "/api/v1/status/tsdb" -> { }
      default -> sb.append("query=").append(enc(rnd, q));
    }
    if (rnd.nextInt(3) == 0) {
      sb.append("&limit=").append(enc(rnd, pick(rnd, LIMITS)));
    }
    if (rnd.nextInt(4) == 0) {
      sb.append("&timeout=").append(enc(rnd, pick(rnd, DURATIONS)));
    }
    if (rnd.nextInt(6) == 0) {
      sb.append("&lookback_delta=").append(enc(rnd, pick(rnd, DURATIONS)));
    }
    return sb.toString();
  }

  static final String[] GET_ENDPOINTS = {"/api/v1/query", "/api/v1/query_range",
      "/api/v1/series", "/api/v1/labels", "/api/v1/query_exemplars", "/api/v1/format_query",
      "/api/v1/parse_query", "/federate", "/api/v1/metadata", "/api/v1/status/tsdb",
      "/api/v1/label/NAME/values"};

  private void get(Random rnd) throws IOException {
    String endpoint = pick(rnd, GET_ENDPOINTS);
    String path = endpoint;
    if (endpoint.contains("NAME")) {
      path = endpoint.replace("NAME", enc(rnd, mutate(rnd, pick(rnd, NAMES))));
      endpoint = "/api/v1/series";
    }
    String req = "GET " + path + "?" + params(rnd, endpoint) + " HTTP/1.1\r\nHost: fuzz\r\n"
        + "Connection: close\r\n\r\n";
    send(req.getBytes(StandardCharsets.UTF_8), req);
  }

  private void form(Random rnd) throws IOException {
    String endpoint = pick(rnd, new String[] {"/api/v1/query", "/api/v1/query_range",
        "/api/v1/series", "/api/v1/labels", "/api/v1/query_exemplars"});
    byte[] body = params(rnd, endpoint).getBytes(StandardCharsets.UTF_8);
    String ct = rnd.nextInt(10) == 0 ? "text/plain" : "application/x-www-form-urlencoded";
    String head = "POST " + endpoint + " HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n"
        + "Content-Type: " + ct + "\r\nContent-Length: " + body.length + "\r\n\r\n";
    send(concat(head.getBytes(StandardCharsets.UTF_8), body), head + new String(body,
        StandardCharsets.UTF_8));
  }

  private void remoteWrite(Random rnd) throws IOException {
    List<PromPb.Series> series = new ArrayList<>();
    int n = 1 + rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      List<String> kv = new ArrayList<>(List.of("__name__", mutate(rnd, "fz_written")));
      if (rnd.nextBoolean()) {
        kv.add(mutate(rnd, "job"));
        kv.add(mutate(rnd, "w"));
      }
      int samples = rnd.nextInt(5);
      long[] t = new long[samples];
      double[] v = new double[samples];
      for (int j = 0; j < samples; j++) {
        t[j] = rnd.nextInt(20) == 0 ? nextWriteTime - rnd.nextInt(3_600_000)
            : (nextWriteTime += 10);
        v[j] = rnd.nextInt(5) == 0 ? Double.NaN : rnd.nextGaussian();
      }
      series.add(PromPb.Series.raw(kv.toArray(new String[0]), t, v)
          .withHistograms(rnd.nextInt(10) == 0 ? 1 : 0));
    }
    byte[] raw = PromPb.writeRequest(series, rnd.nextInt(4) == 0
        ? List.of(new PromPb.Metadata(rnd.nextInt(9), "fz_written", "help", "")) : List.of());
    byte[] body = corrupt(rnd, raw);
    String ct = pick(rnd, new String[] {"application/x-protobuf", "application/x-protobuf",
        "application/x-protobuf", "application/x-protobuf",
        "application/x-protobuf;proto=prometheus.WriteRequest", "application/json",
        "application/x-protobuf;proto=io.prometheus.write.v2.Request", "", "a;b"});
    String enc = pick(rnd, new String[] {"snappy", "snappy", "snappy", "snappy", "gzip", ""});
    String head = "POST /api/v1/write HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n"
        + (ct.isEmpty() ? "" : "Content-Type: " + ct + "\r\n")
        + (enc.isEmpty() ? "" : "Content-Encoding: " + enc + "\r\n")
        + "Content-Length: " + body.length + "\r\n\r\n";
    send(concat(head.getBytes(StandardCharsets.UTF_8), body), "remote write " + ct);
  }

  private void remoteRead(Random rnd) throws IOException {
    ByteArrayOutputStream r = new ByteArrayOutputStream();
    CodedOutputStream ro = CodedOutputStream.newInstance(r);
    int queries = rnd.nextInt(3);
    for (int i = 0; i < queries; i++) {
      ByteArrayOutputStream q = new ByteArrayOutputStream();
      CodedOutputStream qo = CodedOutputStream.newInstance(q);
      qo.writeInt64(1, NOW - rnd.nextInt(2_000_000));
      qo.writeInt64(2, NOW + rnd.nextInt(2_000_000) - 1_000_000);
      int ms = rnd.nextInt(3);
      for (int m = 0; m < ms; m++) {
        ByteArrayOutputStream mb = new ByteArrayOutputStream();
        CodedOutputStream mo = CodedOutputStream.newInstance(mb);
        mo.writeEnum(1, rnd.nextInt(5));
        // Raw bytes: mutations may leave invalid UTF-8 (lone surrogates become '?', 0xff kept).
        byte[] name = mutate(rnd, pick(rnd, NAMES)).getBytes(StandardCharsets.UTF_8);
        if (rnd.nextInt(20) == 0) {
          name = concat(name, new byte[] {(byte) 0xff});
        }
        mo.writeByteArray(2, name);
        mo.writeByteArray(3, mutate(rnd, pick(rnd, new String[] {"fz_gauge", "fz_.*", "(",
            "api"})).getBytes(StandardCharsets.UTF_8));
        mo.flush();
        qo.writeByteArray(3, mb.toByteArray());
      }
      qo.flush();
      ro.writeByteArray(1, q.toByteArray());
    }
    int types = rnd.nextInt(3);
    for (int i = 0; i < types; i++) {
      ro.writeEnum(2, rnd.nextInt(3));
    }
    ro.flush();
    byte[] body = corrupt(rnd, r.toByteArray());
    String head = "POST /api/v1/read HTTP/1.1\r\nHost: fuzz\r\nConnection: close\r\n"
        + "Content-Type: application/x-protobuf\r\nContent-Encoding: snappy\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n";
    send(concat(head.getBytes(StandardCharsets.UTF_8), body), "remote read");
  }

  /** Valid snappy of (maybe mutated) protobuf, or mutated snappy, or random bytes. */
  static byte[] corrupt(Random rnd, byte[] raw) {
    byte[] b = raw.clone();
    int mode = Math.max(0, rnd.nextInt(9) - 3); // intact a third of the time
    if (mode == 1 || mode == 2) {
      flip(rnd, b);
    }
    if (mode == 2 && b.length > 0) {
      b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
    }
    byte[] compressed = TestServer.snappy(b);
    if (mode == 3) {
      flip(rnd, compressed);
    } else if (mode == 4 && compressed.length > 0) {
      compressed = java.util.Arrays.copyOf(compressed, rnd.nextInt(compressed.length));
    } else if (mode == 5) {
      compressed = new byte[rnd.nextInt(64)];
      rnd.nextBytes(compressed);
    }
    return compressed;
  }

  private static void flip(Random rnd, byte[] b) {
    int flips = 1 + rnd.nextInt(4);
    for (int i = 0; i < flips && b.length > 0; i++) {
      b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Sends one request on a fresh connection and checks the answer. */
  private void send(byte[] request, String what) throws IOException {
    byte[] response;
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(30_000);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      InputStream in = s.getInputStream();
      try {
        response = in.readAllBytes();
      } catch (SocketTimeoutException e) {
        failures.add("no answer within 30 s: " + what);
        return;
      }
    } catch (IOException e) {
      failures.add("connection failed (" + e + "): " + what);
      return;
    }
    String text = new String(response, StandardCharsets.ISO_8859_1);
    if (!text.startsWith("HTTP/1.1 ")) {
      failures.add("no HTTP answer: " + what);
      return;
    }
    int status = Integer.parseInt(text.substring(9, 12));
    statuses.merge(status, 1, Integer::sum);
    boolean timeout = status == 503 && text.contains("\"errorType\":\"timeout\"");
    if ((status >= 500 && !timeout) || text.contains("Exception") || text.contains("java.")
        || text.contains("at dev.tsdb")) {
      failures.add(status + " for " + what.replace("\r\n", " | ") + "\n  -> "
          + text.substring(Math.max(0, text.indexOf("\r\n\r\n") + 4)).trim());
    }
  }

  private static long openFds() throws IOException {
    try (var files = Files.list(Path.of("/proc/self/fd"))) {
      return files.count();
    }
  }
}
