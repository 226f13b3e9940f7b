package dev.tsdb.api.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an OTLP metric name and unit into a Prometheus metric name, as Prometheus 3.5's OTLP
 * receiver does (prometheus/otlptranslator's MetricNamer): with escaping, the name is cut into
 * tokens at every character outside [a-zA-Z0-9:] and joined with underscores; with suffixes, the
 * unit's Prometheus word ({@code s} -> {@code seconds}, {@code By/s} -> {@code bytes_per_second})
 * is added unless already a token, monotonic counters end in {@code _total} and gauges of unit
 * {@code 1} in {@code _ratio}. Units in braces ({@code {requests}}) are annotations, not units.
 */
final class MetricNamer {
  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"),
      Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"),
      Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
      Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
      Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"),
      Map.entry("KBy", "kilobytes"), Map.entry("MBy", "megabytes"),
      Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
      Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"),
      Map.entry("J", "joules"), Map.entry("W", "watts"), Map.entry("g", "grams"),
      Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"), Map.entry("1", ""),
      Map.entry("%", "percent"));
  private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute",
      "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  private final boolean escape;
  private final boolean suffixes;

  MetricNamer(boolean escape, boolean suffixes) {
    this.escape = escape;
    this.suffixes = suffixes;
  }

  String build(String name, String unit, MetricKind kind) {
    if (!escape) {
      return suffixes ? withRawSuffixes(name, unit, kind) : name;
    }
    return suffixes ? normalized(name, unit, kind) : escapedOnly(name);
  }

  /** UTF-8 names: the suffixes are appended to the name as it is. */
  private static String withRawSuffixes(String name, String unit, MetricKind kind) {
    String[] u = unitWords(unit);
    StringBuilder sb = new StringBuilder(name);
    if (!u[0].isEmpty()) {
      sb.append('_').append(u[0]);
    }
    if (!u[1].isEmpty()) {
      sb.append('_').append(u[1]);
    }
    if (kind == MetricKind.MONOTONIC_COUNTER) {
      sb.append("_total");
    }
    if (unit.equals("1") && kind == MetricKind.GAUGE) {
      sb.append("_ratio");
    }
    return sb.toString();
  }

  /** Escaping without suffixes: runs of characters outside [a-zA-Z0-9_:] become one '_'. */
  private static String escapedOnly(String name) {
    List<String> tokens = tokens(name, true);
    String s = String.join("_", tokens);
    return startsWithDigit(s) ? "_" + s : s;
  }

  private static String normalized(String name, String unit, MetricKind kind) {
    List<String> tokens = tokens(name, false);
    String[] u = unitWords(unit);
    String main = cleanUnit(u[0]);
    String per = cleanUnit(u[1]);
    if (tokens.contains(main)) {
      main = "";
    }
    if (per.equals("per_")) {
      per = "";
    } else {
      per = trimTrailingUnderscore(per);
      if (tokens.contains(per)) {
        per = "";
      }
    }
    if (!per.isEmpty()) {
      main = trimTrailingUnderscore(main);
    }
    if (!main.isEmpty()) {
      tokens.add(main);
    }
    if (!per.isEmpty()) {
      tokens.add(per);
    }
    if (kind == MetricKind.MONOTONIC_COUNTER) {
      tokens.removeIf("total"::equals);
      tokens.add("total");
    }
    if (unit.equals("1") && kind == MetricKind.GAUGE) {
      tokens.removeIf("ratio"::equals);
      tokens.add("ratio");
    }
    String s = String.join("_", tokens);
    return startsWithDigit(s) ? "_" + s : s;
  }

  /** {main word, "per_" + per word}, either empty when absent or an annotation ({...}). */
  private static String[] unitWords(String unit) {
    int slash = unit.indexOf('/');
    String mainUnit = (slash < 0 ? unit : unit.substring(0, slash)).strip();
    String main = "";
    if (!mainUnit.isEmpty() && !hasBraces(mainUnit)) {
      main = UNITS.getOrDefault(mainUnit, mainUnit);
    }
    String per = "";
    if (slash >= 0 && slash + 1 < unit.length()) {
      String perUnit = unit.substring(slash + 1).strip();
      if (!perUnit.isEmpty() && !hasBraces(perUnit)) {
        per = "per_" + PER_UNITS.getOrDefault(perUnit, perUnit);
      }
    }
    return new String[] {main, per};
  }

  private static boolean hasBraces(String s) {
    return s.indexOf('{') >= 0 || s.indexOf('}') >= 0;
  }

  /** A unit word in the legacy charset: invalid characters to '_', runs of '_' to one, no '_' first. */
  private static String cleanUnit(String unit) {
    StringBuilder sb = new StringBuilder(unit.length());
    unit.codePoints().forEach(c -> {
      char out = isNameChar(c, true) ? (char) c : '_';
      if (out == '_' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') {
        return;
      }
      sb.append(out);
    });
    if (sb.length() > 0 && sb.charAt(0) == '_') {
      sb.deleteCharAt(0);
    }
    return sb.toString();
  }

  private static String trimTrailingUnderscore(String s) {
    return s.endsWith("_") ? s.substring(0, s.length() - 1) : s;
  }

  /** The non-empty runs of name characters; '_' separates tokens unless keepUnderscore. */
  private static List<String> tokens(String name, boolean keepUnderscore) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    name.codePoints().forEach(c -> {
      if (isNameChar(c, keepUnderscore)) {
        cur.append((char) c);
      } else if (cur.length() > 0) {
        out.add(cur.toString());
        cur.setLength(0);
      }
    });
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  private static boolean isNameChar(int c, boolean underscore) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == ':' || (underscore && c == '_');
  }

  private static boolean startsWithDigit(String s) {
    return !s.isEmpty() && s.charAt(0) >= '0' && s.charAt(0) <= '9';
  }
}
