package dev.tsdb.api.handlers;

import dev.tsdb.api.ApiException;
import dev.tsdb.api.SelectorParser;
import dev.tsdb.api.http.ApiRequest;
import dev.tsdb.api.params.TimeParams;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.PromQLException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The parameter helpers Prometheus's API handlers share, with their exact error messages. */
public final class RequestParams {
  static final String TRUNCATED = "results truncated due to limit";

  private RequestParams() {}

  /** parseTimeParam: the default when absent, else the parsed time or an "invalid parameter". */
  static long time(ApiRequest r, String name, long dflt) throws IOException {
    String v = r.param(name);
    if (v.isEmpty()) {
      return dflt;
    }
    try {
      return TimeParams.parseTime(v);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParam(name,
          "invalid time value for '" + name + "': " + e.getMessage());
    }
  }

  /** parseTime on a required parameter (query_range's start and end). */
  static long requiredTime(ApiRequest r, String name) throws IOException {
    try {
      return TimeParams.parseTime(r.param(name));
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParam(name, e.getMessage());
    }
  }

  static long durationNanos(String param, String value) {
    try {
      return TimeParams.parseDurationNanos(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParam(param, e.getMessage());
    }
  }

  /**
   * Go's strconv.Atoi for an int parameter. Go's int has 64 bits; values past Java's int only
   * matter as limits, where they mean no practical limit, so they saturate.
   *
   * @throws dev.tsdb.gocompat.GoNumError with Go's message
   */
  static int atoi(String s) {
    long v = GoNumbers.atoi(s);
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  /** parseLimitParam: 0 (no limit) when absent; non-negative integer otherwise. */
  static int limit(ApiRequest r) throws IOException {
    String s = r.param("limit");
    if (s.isEmpty()) {
      return 0;
    }
    int limit;
    try {
      limit = atoi(s);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidParam("limit", e.getMessage());
    }
    if (limit < 0) {
      throw ApiException.invalidParam("limit", "limit must be non-negative");
    }
    return limit;
  }

  /**
   * parseMatchersParam: parses every match[] and requires each set to have a matcher that does
   * not match the empty string. Parse errors are returned as the parser's message.
   */
  public static List<List<Matcher>> matcherSets(List<String> selectors, SelectorParser parser) {
    List<List<Matcher>> sets = new ArrayList<>();
    for (String s : selectors) {
      List<Matcher> ms;
      try {
        ms = parser.parse(s);
      } catch (PromQLException e) {
        throw ApiException.badData(e.getMessage());
      }
      boolean ok = false;
      for (Matcher m : ms) {
        if (!m.matchesEmpty()) {
          ok = true;
          break;
        }
      }
      if (!ok) {
        throw ApiException.badData("match[] must contain at least one non-empty matcher");
      }
      sets.add(ms);
    }
    return sets;
  }
}
