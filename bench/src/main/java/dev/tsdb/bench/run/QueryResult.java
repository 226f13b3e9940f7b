package dev.tsdb.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A query answer reduced to what must match between servers: series (by sorted label set) to
 * (timestamp, value) points, in label order.
 */
public record QueryResult(String resultType, TreeMap<String, List<double[]>> series) {

  /** Parses the {@code data} object of a successful /api/v1/query(_range) response. */
  public static QueryResult parse(JsonNode data) {
    String type = data.path("resultType").asText();
    TreeMap<String, List<double[]>> out = new TreeMap<>();
    JsonNode result = data.path("result");
    switch (type) {
      case "scalar":
      case "string":
        out.put("", List.of(point(result)));
        break;
      case "vector":
      case "matrix":
        for (JsonNode s : result) {
          List<double[]> points = new ArrayList<>();
          if (s.has("value")) {
            points.add(point(s.get("value")));
          }
          for (JsonNode p : s.path("values")) {
            points.add(point(p));
          }
          out.put(labelKey(s.path("metric")), points);
        }
        break;
      default:
        throw new IllegalArgumentException("unknown resultType " + type);
    }
    return new QueryResult(type, out);
  }

  private static double[] point(JsonNode p) {
    return new double[] {p.get(0).asDouble(), parseValue(p.get(1).asText())};
  }

  private static double parseValue(String s) {
    switch (s) {
      case "NaN": return Double.NaN;
      case "+Inf": return Double.POSITIVE_INFINITY;
      case "-Inf": return Double.NEGATIVE_INFINITY;
      default: return Double.parseDouble(s);
    }
  }

  private static String labelKey(JsonNode metric) {
    TreeMap<String, String> sorted = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = metric.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      sorted.put(e.getKey(), e.getValue().asText());
    }
    return sorted.toString();
  }

  public int seriesCount() {
    return series.size();
  }

  public long pointCount() {
    long n = 0;
    for (List<double[]> p : series.values()) {
      n += p.size();
    }
    return n;
  }

  /**
   * How this answer relates to another: "equal", "close (max rel. diff ...)" or a description of
   * the first difference. Values within a relative 1e-6 count as close: summation order differs
   * between engines.
   */
  public String compare(QueryResult other) {
    if (!resultType.equals(other.resultType)) {
      return "DIFFERENT result types " + resultType + " vs " + other.resultType;
    }
    if (!series.keySet().equals(other.series.keySet())) {
      List<String> onlyHere = new ArrayList<>(series.keySet());
      onlyHere.removeAll(other.series.keySet());
      List<String> onlyThere = new ArrayList<>(other.series.keySet());
      onlyThere.removeAll(series.keySet());
      return "DIFFERENT series: " + onlyHere.size() + " only in first"
          + (onlyHere.isEmpty() ? "" : " (e.g. " + onlyHere.get(0) + ")") + ", "
          + onlyThere.size() + " only in second"
          + (onlyThere.isEmpty() ? "" : " (e.g. " + onlyThere.get(0) + ")");
    }
    double maxRel = 0;
    for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
      List<double[]> a = e.getValue();
      List<double[]> b = other.series.get(e.getKey());
      if (a.size() != b.size()) {
        return "DIFFERENT point counts for " + e.getKey() + ": " + a.size() + " vs " + b.size();
      }
      for (int i = 0; i < a.size(); i++) {
        double[] p = a.get(i);
        double[] q = b.get(i);
        if (p[0] != q[0]) {
          return "DIFFERENT timestamps for " + e.getKey() + ": " + p[0] + " vs " + q[0];
        }
        if (Double.compare(p[1], q[1]) == 0) {
          continue;
        }
        double rel = Math.abs(p[1] - q[1]) / Math.max(Math.abs(p[1]), Math.abs(q[1]));
        if (!(rel <= 1e-6)) {
          return "DIFFERENT value for " + e.getKey() + " at " + p[0] + ": " + p[1] + " vs "
              + q[1];
        }
        maxRel = Math.max(maxRel, rel);
      }
    }
    return maxRel == 0 ? "equal" : String.format("close (max rel. diff %.1e)", maxRel);
  }
}
