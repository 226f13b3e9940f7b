package dev.tsdb.server;

import dev.tsdb.testkit.reference.Prometheus;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The query list of a differential test against a reference Prometheus and how each answer is
 * compared: expressions become instant queries at the test's instants and range queries over its
 * ranges, each asked of both servers.
 */
abstract class DifferentialQueries {
  /** How an answer is compared. */
  enum Mode {
    /** Status and body byte for byte, but for the order of the annotations. */
    EXACT,
    /** "warnings"/"infos" removed from both: 3.5 words some annotations unlike newer 3.x. */
    WITHOUT_ANNOTATIONS,
    /** Status and errorType only: the error text legitimately differs. */
    ERROR_TYPE,
    /**
     * Instant-vector elements compared as a set: histogram_quantile and count_values emit their
     * series in hash-map order, so the order of an instant answer is not defined.
     */
    UNORDERED,
    /** UNORDERED and WITHOUT_ANNOTATIONS. */
    UNORDERED_WITHOUT_ANNOTATIONS
  }

  record Case(String path, Mode mode) {
    /** The expression asked, decoded from the path. */
    String expr() {
      int q = path.indexOf("query=") + "query=".length();
      int amp = path.indexOf('&', q);
      return URLDecoder.decode(path.substring(q, amp < 0 ? path.length() : amp),
          StandardCharsets.UTF_8);
    }
  }

  /**
   * Whole minute 40 minutes before the tests started; their data spans 30 minutes from it on a
   * 15 s grid, and their query times are relative to it.
   */
  static final long BASE = System.currentTimeMillis() / 60_000 * 60_000 - 40 * 60_000;
  static final long STEP = 15_000;
  static final int POINTS = 120;

  /** Time of grid point i, jittered 1..9 ms later so no sample sits on a window boundary. */
  static long at(Random rnd, int i) {
    return BASE + i * STEP + 1 + rnd.nextInt(9);
  }

  final List<Case> cases = new ArrayList<>();
  private final long[] instants;
  private final String[] ranges;

  /**
   * @param instants evaluation times (ms) of the instant queries
   * @param ranges "&start=..&end=..&step=.." suffixes of the range queries
   */
  DifferentialQueries(long[] instants, String... ranges) {
    this.instants = instants.clone();
    this.ranges = ranges.clone();
  }

  static String sec(long ms) {
    return ms % 1000 == 0 ? Long.toString(ms / 1000) : String.format("%.3f", ms / 1000.0);
  }

  /** The expression as instant queries at every instant and as every range query. */
  void both(String expr, Mode mode) {
    instant(expr, mode);
    range(expr, mode);
  }

  void both(String expr) {
    both(expr, Mode.EXACT);
  }

  void range(String expr, Mode mode) {
    for (String r : ranges) {
      cases.add(new Case("/api/v1/query_range?query=" + TestServer.enc(expr) + r, mode));
    }
  }

  void instant(String expr, Mode mode) {
    for (long t : instants) {
      cases.add(new Case("/api/v1/query?query=" + TestServer.enc(expr) + "&time=" + sec(t), mode));
    }
  }

  void instant(String expr) {
    instant(expr, Mode.EXACT);
  }

  // ---------------------------------------------------------------------------------------------
  // Comparison

  static String withoutAnnotations(String body) {
    return body.replaceAll(",\"(warnings|infos)\":\\[(\"([^\"\\\\]|\\\\.)*\",?)*\\]", "");
  }

  static String errorType(String body) {
    int i = body.indexOf("\"errorType\":\"");
    if (i < 0) {
      return body;
    }
    int end = body.indexOf('"', i + 13);
    return body.substring(i, end + 1);
  }

  /** The elements of the result array sorted, for answers whose order is not defined. */
  static String unordered(String body) {
    int start = body.indexOf("\"result\":[{");
    int end = body.lastIndexOf("}]");
    if (start < 0 || end < start) {
      return body;
    }
    start += "\"result\":[".length();
    List<String> items = new ArrayList<>(Arrays.asList(body.substring(start + 1, end)
        .split("\\},\\{(?=\"metric\")")));
    items.sort(null);
    return body.substring(0, start) + "{" + String.join("},{", items) + body.substring(end);
  }

  private static final Pattern ANNOTATIONS =
      Pattern.compile("\"(warnings|infos)\":\\[((\"([^\"\\\\]|\\\\.)*\",?)*)\\]");

  /**
   * The warnings and infos each sorted: Prometheus collects a query's annotations in a Go map and
   * lists them in its random iteration order.
   */
  static String annotationsSorted(String body) {
    Matcher m = ANNOTATIONS.matcher(body);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String list = m.group(2);
      if (list.isEmpty()) {
        continue;
      }
      // The texts without their outer quotes, split where one string ends and the next starts.
      List<String> items = new ArrayList<>(Arrays.asList(list.substring(1, list.length() - 1)
          .split("(?<!\\\\)\",\"")));
      items.sort(null);
      m.appendReplacement(out, Matcher.quoteReplacement("\"" + m.group(1) + "\":[\""
          + String.join("\",\"", items) + "\"]"));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A body reduced to what {@code mode} compares (annotations in any order). */
  static String comparable(Mode mode, String body) {
    return switch (mode) {
      case EXACT -> annotationsSorted(body);
      case WITHOUT_ANNOTATIONS -> withoutAnnotations(body);
      case ERROR_TYPE -> errorType(body);
      case UNORDERED -> unordered(annotationsSorted(body));
      case UNORDERED_WITHOUT_ANNOTATIONS -> unordered(withoutAnnotations(body));
    };
  }

  /** Asks both servers; the description of the difference, or null when they agree. */
  static String mismatch(Case c, TestServer ours, Prometheus ref) throws Exception {
    HttpResponse<String> a = ours.get(c.path());
    HttpResponse<String> b = ref.get(c.path());
    String oursBody = comparable(c.mode(), a.body());
    String refBody = comparable(c.mode(), b.body());
    if (a.statusCode() == b.statusCode() && oursBody.equals(refBody)) {
      return null;
    }
    return URLDecoder.decode(c.path(), StandardCharsets.UTF_8)
        + "\n  prometheus: " + b.statusCode() + " " + refBody
        + "\n  ours:       " + a.statusCode() + " " + oursBody;
  }
}
