package dev.tsdb.testdata.promqltest;

import dev.tsdb.gocompat.GoNumError;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoRegex;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.index.labels.Labels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed PromQL test script (Prometheus's promqltest language): {@code load}, {@code clear}
 * and {@code eval} commands. See promql/promqltest/README.md upstream for the language.
 */
public final class TestScript {
  private static final Pattern LOAD = Pattern.compile("^load(?:_(with_nhcb))?\\s+(.+?)$");
  private static final Pattern EVAL_INSTANT = Pattern.compile(
      "^eval(?:_(fail|warn|ordered|info))?\\s+instant\\s+(?:at\\s+(.+?))?\\s+(.+)$");
  private static final Pattern EVAL_RANGE = Pattern.compile("^eval(?:_(fail|warn|info))?\\s+range"
      + "\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+?)\\s+(.+)$");
  private static final Pattern EXPECT = Pattern.compile(
      "^expect\\s+(ordered|fail|warn|no_warn|info|no_info)(?:\\s+(regex|msg):(.+))?$");
  private static final Pattern EXPECT_RANGE = Pattern.compile(
      "^expect range vector\\s+from\\s+(.+)\\s+to\\s+(.+)\\s+step\\s+(.+)$");

  /** A command of the script. */
  public sealed interface Command permits Load, Clear, Eval {
    int line();
  }

  /**
   * A load block. {@code startTimestampSeries} are the series given start timestamps with
   * {@code @st} lines, which this storage does not keep.
   */
  public record Load(int line, long gapMs, boolean withNhcb, List<SeriesDesc> series,
      List<Labels> startTimestampSeries) implements Command {}

  public record Clear(int line) implements Command {}

  public enum ExpectType {
    ORDERED, FAIL, WARN, NO_WARN, INFO, NO_INFO
  }

  /** An {@code expect} line: an exact message, a regex (unanchored search), or neither. */
  public record Expect(String message, GoRegex regex) {
    boolean matches(String s) {
      if (regex != null) {
        return regex.matches(s);
      }
      return message == null || message.equals(s);
    }

    boolean hasMatcher() {
      return message != null || regex != null;
    }

    @Override
    public String toString() {
      return regex != null ? regex.source() : String.valueOf(message);
    }
  }

  /** Expected values of one series, with its 1-based position among the expected lines. */
  public record Expected(int pos, List<SeriesDesc.Value> values) {}

  /** An eval command with its expectations. */
  public static final class Eval implements Command {
    final int line;
    final String expr;
    final boolean range;
    long start;
    long end;
    long step;
    long evalTime;
    boolean legacyFail;
    boolean legacyWarn;
    boolean legacyInfo;
    boolean legacyOrdered;
    String expectedFailMessage;
    GoRegex expectedFailRegexp;
    final Map<ExpectType, List<Expect>> expects = new EnumMap<>(ExpectType.class);
    boolean expectScalar;
    double scalar;
    final Map<Labels, Expected> expected = new LinkedHashMap<>();
    String expectedString;
    boolean excludeFromRangeQuery;

    Eval(int line, String expr, boolean range) {
      this.line = line;
      this.expr = expr;
      this.range = range;
    }

    @Override
    public int line() {
      return line;
    }

    public String expr() {
      return expr;
    }

    boolean isFail() {
      return legacyFail || !expects.getOrDefault(ExpectType.FAIL, List.of()).isEmpty();
    }

    boolean isOrdered() {
      return legacyOrdered || !expects.getOrDefault(ExpectType.ORDERED, List.of()).isEmpty();
    }

    List<Expect> expects(ExpectType t) {
      return expects.getOrDefault(t, List.of());
    }
  }

  public final List<Command> commands = new ArrayList<>();

  /** Parses a script; malformed lines raise IllegalArgumentException naming the line. */
  public static TestScript parse(String input) {
    String[] raw = input.split("\n", -1);
    String[] lines = new String[raw.length];
    for (int i = 0; i < raw.length; i++) {
      String l = raw[i].trim();
      lines[i] = l.startsWith("#") ? "" : l;
    }
    TestScript t = new TestScript();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      if (l.isEmpty()) {
        continue;
      }
      String c = l.split("[\t ]+", 2)[0].toLowerCase(java.util.Locale.ROOT);
      try {
        if (c.equals("clear")) {
          t.commands.add(new Clear(i + 1));
        } else if (c.startsWith("load")) {
          i = parseLoad(lines, i, t);
        } else if (c.startsWith("eval")) {
          i = parseEval(lines, i, t);
        } else {
          throw new IllegalArgumentException("invalid command \"" + l + "\"");
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return t;
  }

  private static int parseLoad(String[] lines, int i, TestScript t) {
    Matcher m = LOAD.matcher(lines[i]);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid load command. (load[_with_nhcb] <step>)");
    }
    long gap = ModelDuration.parseMillis(m.group(2));
    List<SeriesDesc> series = new ArrayList<>();
    List<Labels> stSeries = new ArrayList<>();
    boolean defaultSt = false;
    int line = i + 1;
    while (i + 1 < lines.length) {
      i++;
      if (lines[i].isEmpty()) {
        i--;
        break;
      }
      String first = lines[i].split("[\t ]+", 2)[0];
      if (first.endsWith("@st")) {
        String metric = first.substring(0, first.length() - 3);
        if (metric.isEmpty()) {
          defaultSt = true;
        } else {
          stSeries.add(SeriesDesc.parse(metric + " _").labels);
        }
        continue;
      }
      series.add(SeriesDesc.parse(lines[i]));
    }
    if (defaultSt) {
      for (SeriesDesc sd : series) {
        stSeries.add(sd.labels);
      }
    }
    t.commands.add(new Load(line, gap, m.group(1) != null, series, stSeries));
    return i;
  }

  private static int parseEval(String[] lines, int i, TestScript t) {
    Matcher inst = EVAL_INSTANT.matcher(lines[i]);
    Matcher rng = EVAL_RANGE.matcher(lines[i]);
    boolean isInstant = inst.matches();
    if (!isInstant && !rng.matches()) {
      throw new IllegalArgumentException("invalid evaluation command: " + lines[i]);
    }
    String mod;
    Eval cmd;
    if (isInstant) {
      mod = inst.group(1);
      cmd = new Eval(i + 1, inst.group(3), false);
      cmd.start = ModelDuration.parseMillis(inst.group(2) == null ? "" : inst.group(2));
      cmd.evalTime = cmd.start;
    } else {
      mod = rng.group(1);
      cmd = new Eval(i + 1, rng.group(5), true);
      cmd.start = ModelDuration.parseMillis(rng.group(2));
      cmd.end = ModelDuration.parseMillis(rng.group(3));
      cmd.step = ModelDuration.parseMillis(rng.group(4));
      if (cmd.end < cmd.start) {
        throw new IllegalArgumentException("end timestamp is before start timestamp");
      }
    }
    if (mod != null) {
      switch (mod) {
        case "ordered" -> cmd.legacyOrdered = true;
        case "fail" -> cmd.legacyFail = true;
        case "warn" -> cmd.legacyWarn = true;
        case "info" -> cmd.legacyInfo = true;
        default -> { }
      }
    }
    boolean expectRangeVector = false;
    int j = 1;
    for (; i + 1 < lines.length; j++) {
      i++;
      String def = lines[i];
      if (def.isEmpty()) {
        i--;
        break;
      }
      if (cmd.legacyFail && def.startsWith("expected_fail_message")) {
        cmd.expectedFailMessage = def.substring("expected_fail_message".length()).trim();
        break;
      }
      if (cmd.legacyFail && def.startsWith("expected_fail_regexp")) {
        cmd.expectedFailRegexp =
            GoRegex.compile(def.substring("expected_fail_regexp".length()).trim());
        break;
      }
      if (def.startsWith("expect range vector")) {
        Matcher m = EXPECT_RANGE.matcher(def);
        if (!m.matches()) {
          throw new IllegalArgumentException("invalid range vector definition " + def);
        }
        expectRangeVector = true;
        cmd.start = ModelDuration.parseMillis(m.group(1));
        cmd.end = ModelDuration.parseMillis(m.group(2));
        cmd.step = ModelDuration.parseMillis(m.group(3));
        cmd.evalTime = cmd.end;
        cmd.excludeFromRangeQuery = true;
        j--;
        continue;
      }
      if (def.startsWith("expect string")) {
        String s = def.substring("expect string".length()).trim();
        cmd.expectedString = unquote(s);
        cmd.excludeFromRangeQuery = true;
        j--;
        continue;
      }
      if (def.split(" ")[0].equals("expect")) {
        Matcher m = EXPECT.matcher(def.trim());
        if (!m.matches()) {
          throw new IllegalArgumentException("invalid expect statement, must match `expect "
              + "<type> <match_type>: <string>` format");
        }
        ExpectType type = ExpectType.valueOf(m.group(1).toUpperCase(java.util.Locale.ROOT));
        Expect e = new Expect(null, null);
        if (m.group(2) != null) {
          String arg = m.group(3).trim();
          e = m.group(2).equals("msg") ? new Expect(arg, null)
              : new Expect(null, GoRegex.compile(arg));
        }
        cmd.expects.computeIfAbsent(type, x -> new ArrayList<>()).add(e);
        j--;
        continue;
      }
      Double num = parseNumber(def);
      if (num != null) {
        cmd.expectScalar = true;
        cmd.scalar = num;
        break;
      }
      SeriesDesc sd = SeriesDesc.parse(def);
      if (sd.values.size() > 1 && isInstant && !expectRangeVector) {
        throw new IllegalArgumentException("expecting multiple values in instant evaluation "
            + "not allowed");
      }
      cmd.expectScalar = false;
      cmd.expected.put(sd.labels, new Expected(j, sd.values));
    }
    t.commands.add(cmd);
    return i;
  }

  /** promqltest's parseNumber: strconv.ParseInt(s, 0, 64) then ParseFloat; null if neither. */
  static Double parseNumber(String s) {
    try {
      return GoNumbers.parseIntOrFloat(s);
    } catch (GoNumError e) {
      return null;
    }
  }

  static String unquote(String s) {
    if (s.length() < 2) {
      throw new IllegalArgumentException("expected string literal not valid - a quoted string "
          + "literal is required");
    }
    char q = s.charAt(0);
    if ((q != '"' && q != '`') || s.charAt(s.length() - 1) != q) {
      throw new IllegalArgumentException("expected string literal not valid - check that the "
          + "string is correctly quoted");
    }
    try {
      return GoStrings.unquote(s);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("expected string literal not valid - check that the "
          + "string is correctly quoted");
    }
  }
}
