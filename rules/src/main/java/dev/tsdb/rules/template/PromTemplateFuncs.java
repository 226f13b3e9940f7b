package dev.tsdb.rules.template;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoRegex;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.rules.util.GoNet;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus's template function map (template/template.go): query helpers, humanizers, string
 * and regex helpers, time conversion. {@link #NAMES} is what templates may reference at parse
 * time; {@link #bind} supplies implementations for one expansion (query function, evaluation
 * time, external URL).
 */
public final class PromTemplateFuncs {
  private PromTemplateFuncs() {}

  public static final Set<String> NAMES = Set.of("query", "first", "label", "value", "strvalue",
      "args", "reReplaceAll", "safeHtml", "match", "title", "toUpper", "toLower", "graphLink",
      "tableLink", "sortByLabel", "stripPort", "stripDomain", "humanize", "humanize1024",
      "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "toTime", "toDuration", "now",
      "pathPrefix", "externalURL", "parseDuration");

  static final ParamType SAMPLE = ParamType.of("*template.sample", TemplateSample.class);
  static final ParamType QUERY_RESULT = new ParamType(TemplateSample.QUERY_RESULT_TYPE,
      v -> v instanceof GoSlice s && s.typeName().equals(TemplateSample.QUERY_RESULT_TYPE), true);

  private static final String[] SI_BIG = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
  private static final String[] SI_SMALL = {"m", "u", "n", "p", "f", "a", "z", "y"};
  private static final String[] IEC = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};

  /**
   * Implementations bound to one expansion.
   *
   * @param query runs {@code query "expr"}; null makes such calls fail
   * @param timestampMs the evaluation time queries and {@code now} use
   * @param externalUrl the --web.external-url value ("" if unset)
   */
  public static Map<String, TemplateFunc> bind(QueryFunction query, long timestampMs,
      String externalUrl) {
    Map<String, TemplateFunc> m = new HashMap<>();
    m.put("query", TemplateFunc.of(a -> {
      if (query == null) {
        throw new Exception("no query function");
      }
      List<Sample> res = query.query((String) a.get(0), timestampMs);
      List<TemplateSample> out = new ArrayList<>(res.size());
      for (Sample s : res) {
        out.add(TemplateSample.of(s.metric(), TemplateHistogram.valueOf(s)));
      }
      return new GoSlice(out, TemplateSample.QUERY_RESULT_TYPE);
    }, ParamType.STRING));
    m.put("first", TemplateFunc.of(a -> {
      GoSlice v = (GoSlice) a.get(0);
      if (v == null || v.elems().isEmpty()) {
        throw new Exception("first() called on vector with no elements");
      }
      return v.elems().get(0);
    }, QUERY_RESULT));
    m.put("label", TemplateFunc.of(a -> sample(a.get(1)).labels().get((String) a.get(0)),
        ParamType.STRING, SAMPLE));
    m.put("value", TemplateFunc.of(a -> sample(a.get(0)).value(), SAMPLE));
    m.put("strvalue", TemplateFunc.of(a -> sample(a.get(0)).labels().get("__value__"), SAMPLE));
    m.put("args", TemplateFunc.variadic(a -> {
      Map<String, Object> r = new LinkedHashMap<>();
      for (int i = 0; i < a.size(); i++) {
        r.put("arg" + i, a.get(i));
      }
      return new GoMap(r, null, "map[string]interface {}");
    }, ParamType.ANY));
    m.put("reReplaceAll", TemplateFunc.of(a -> regex((String) a.get(0)).replaceAll(
        (String) a.get(2), (String) a.get(1)),
        ParamType.STRING, ParamType.STRING, ParamType.STRING));
    m.put("safeHtml", TemplateFunc.of(a -> a.get(0), ParamType.STRING));
    m.put("match", TemplateFunc.of(a -> regex((String) a.get(0)).matches((String) a.get(1)),
        ParamType.STRING, ParamType.STRING));
    m.put("title", TemplateFunc.of(a -> title((String) a.get(0)), ParamType.STRING));
    m.put("toUpper", TemplateFunc.of(a -> ((String) a.get(0)).toUpperCase(Locale.ROOT),
        ParamType.STRING));
    m.put("toLower", TemplateFunc.of(a -> ((String) a.get(0)).toLowerCase(Locale.ROOT),
        ParamType.STRING));
    m.put("graphLink", TemplateFunc.of(a -> graphLink((String) a.get(0)), ParamType.STRING));
    m.put("tableLink", TemplateFunc.of(a -> tableLink((String) a.get(0)), ParamType.STRING));
    m.put("sortByLabel", TemplateFunc.of(a -> {
      String label = (String) a.get(0);
      GoSlice v = (GoSlice) a.get(1);
      if (v == null) {
        return null;
      }
      List<TemplateSample> sorted = new ArrayList<>();
      for (Object o : v.elems()) {
        sorted.add((TemplateSample) o);
      }
      sorted.sort(Comparator.comparing(s -> (String) s.labels().get(label))); // stable
      return new GoSlice(sorted, v.typeName());
    }, ParamType.STRING, QUERY_RESULT));
    m.put("stripPort", TemplateFunc.of(a -> {
      String hp = (String) a.get(0);
      String[] split = GoNet.splitHostPort(hp);
      return split == null ? hp : split[0];
    }, ParamType.STRING));
    m.put("stripDomain", TemplateFunc.of(a -> stripDomain((String) a.get(0)), ParamType.STRING));
    m.put("humanize", TemplateFunc.of(a -> humanize(toFloat(a.get(0))), ParamType.ANY));
    m.put("humanize1024", TemplateFunc.of(a -> humanize1024(toFloat(a.get(0))), ParamType.ANY));
    m.put("humanizeDuration",
        TemplateFunc.of(a -> humanizeDuration(toFloat(a.get(0))), ParamType.ANY));
    m.put("humanizePercentage",
        TemplateFunc.of(a -> GoFloat.format(toFloat(a.get(0)) * 100, 'g', 4) + "%",
            ParamType.ANY));
    m.put("humanizeTimestamp", TemplateFunc.of(a -> {
      double v = toFloat(a.get(0));
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        return GoFloat.format(v, 'g', 4);
      }
      return floatToTime(v).toString();
    }, ParamType.ANY));
    m.put("toTime", TemplateFunc.of(a -> {
      double v = toFloat(a.get(0));
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        throw new Exception("time value is NaN or Inf");
      }
      return floatToTime(v);
    }, ParamType.ANY));
    m.put("toDuration", TemplateFunc.of(
        a -> new GoDuration((long) (toFloat(a.get(0)) * 1e9)), ParamType.ANY));
    m.put("now", TemplateFunc.of(a -> timestampMs / 1000.0));
    m.put("pathPrefix", TemplateFunc.of(a -> urlPath(externalUrl)));
    m.put("externalURL", TemplateFunc.of(a -> externalUrl == null ? "" : externalUrl));
    m.put("parseDuration",
        TemplateFunc.of(a -> ModelDuration.parseMillis((String) a.get(0)) / 1000.0,
            ParamType.STRING));
    return m;
  }

  private static TemplateSample sample(Object o) throws Exception {
    if (o == null) {
      throw new Exception("runtime error: invalid memory address or nil pointer dereference");
    }
    return (TemplateSample) o;
  }

  /** Go's regexp.Compile; a template function's error carries Go's text. */
  private static GoRegex regex(String p) throws Exception {
    try {
      return GoRegex.compile(p);
    } catch (IllegalArgumentException e) {
      throw new Exception(e.getMessage());
    }
  }

  /** Prometheus's convertToFloat: float64, numeric strings, ints, durations. */
  static double toFloat(Object v) throws Exception {
    if (v instanceof Double d) {
      return d;
    } else if (v instanceof String s) {
      return GoNumbers.parseFloat(s); // its GoNumError message is Go's error text
    } else if (v instanceof Long || v instanceof Integer) {
      return ((Number) v).doubleValue();
    } else if (v instanceof BigInteger b) {
      return b.doubleValue();
    } else if (v instanceof GoDuration d) {
      return d.nanos() / 1e9;
    }
    throw new Exception("can't convert " + GoFmt.typeName(v) + " to float");
  }

  static String humanize(double v) {
    if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFloat.format(v, 'g', 4);
    }
    String prefix = "";
    if (Math.abs(v) >= 1) {
      for (String p : SI_BIG) {
        if (Math.abs(v) < 1000) {
          break;
        }
        prefix = p;
        v /= 1000;
      }
      return GoFloat.format(v, 'g', 4) + prefix;
    }
    for (String p : SI_SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFloat.format(v, 'g', 4) + prefix;
  }

  static String humanize1024(double v) {
    if (Math.abs(v) <= 1 || Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFloat.format(v, 'g', 4);
    }
    String prefix = "";
    for (String p : IEC) {
      if (Math.abs(v) < 1024) {
        break;
      }
      prefix = p;
      v /= 1024;
    }
    return GoFloat.format(v, 'g', 4) + prefix;
  }

  static String humanizeDuration(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return GoFloat.format(v, 'g', 4);
    }
    if (v == 0) {
      return GoFloat.format(v, 'g', 4) + "s";
    }
    if (Math.abs(v) >= 1) {
      String sign = "";
      if (v < 0) {
        sign = "-";
        v = -v;
      }
      long duration = (long) v;
      long seconds = duration % 60;
      long minutes = (duration / 60) % 60;
      long hours = (duration / 60 / 60) % 24;
      long days = duration / 60 / 60 / 24;
      if (days != 0) {
        return sign + days + "d " + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (hours != 0) {
        return sign + hours + "h " + minutes + "m " + seconds + "s";
      }
      if (minutes != 0) {
        return sign + minutes + "m " + seconds + "s";
      }
      return sign + GoFloat.format(v, 'g', 4) + "s";
    }
    String prefix = "";
    for (String p : SI_SMALL) {
      if (Math.abs(v) >= 1) {
        break;
      }
      prefix = p;
      v *= 1000;
    }
    return GoFloat.format(v, 'g', 4) + prefix + "s";
  }

  /** Seconds to a UTC time truncated to milliseconds, as model.TimeFromUnixNano does. */
  static GoTime floatToTime(double v) throws Exception {
    double ts = v * 1e9;
    if (ts > 9.223372036854775807E18 || ts < -9.223372036854775808E18) {
      throw new Exception(GoFloat.format(v, 'g', -1)
          + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    }
    long nanos = (long) ts;
    long ms = nanos / 1_000_000L; // truncation toward zero, like Go's integer division
    return new GoTime(ms * 1_000_000L);
  }

  /** Go's strings.Title. */
  static String title(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    int prev = ' ';
    for (int i = 0; i < s.length(); ) {
      int r = s.codePointAt(i);
      i += Character.charCount(r);
      if (isSeparator(prev)) {
        sb.appendCodePoint(Character.toTitleCase(r));
      } else {
        sb.appendCodePoint(r);
      }
      prev = r;
    }
    return sb.toString();
  }

  private static boolean isSeparator(int r) {
    if (r <= 0x7F) {
      if ((r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
          || r == '_') {
        return false;
      }
      return true;
    }
    if (Character.isLetter(r) || Character.isDigit(r)) {
      return false;
    }
    return Character.isWhitespace(r) || Character.isSpaceChar(r);
  }

  static String stripDomain(String hostPort) {
    String[] split = GoNet.splitHostPort(hostPort);
    String host = split == null ? hostPort : split[0];
    String port = split == null ? "" : split[1];
    if (GoNet.isIp(host)) {
      return hostPort;
    }
    int dot = host.indexOf('.');
    host = dot >= 0 ? host.substring(0, dot) : host;
    if (!port.isEmpty()) {
      return GoNet.joinHostPort(host, port);
    }
    return host;
  }

  /** Prometheus's strutil.GraphLinkForExpression. */
  public static String graphLink(String expr) {
    return "/graph?g0.expr=" + Executor.queryEscape(expr) + "&g0.tab=0";
  }

  /** Prometheus's strutil.TableLinkForExpression (used for alerts' generatorURL). */
  public static String tableLink(String expr) {
    return "/graph?g0.expr=" + Executor.queryEscape(expr) + "&g0.tab=1";
  }

  private static String urlPath(String externalUrl) {
    if (externalUrl == null || externalUrl.isEmpty()) {
      return "";
    }
    try {
      String p = new URI(externalUrl).getPath();
      return p == null ? "" : p;
    } catch (Exception e) {
      return "";
    }
  }
}
