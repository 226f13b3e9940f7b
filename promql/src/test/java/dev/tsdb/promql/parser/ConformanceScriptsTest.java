package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every expression and series line of the upstream PromQL conformance scripts must parse (with
 * all experimental features on, as upstream runs them), except the features listed here as not
 * supported yet.
 */
class ConformanceScriptsTest {
  private static final Pattern EVAL = Pattern.compile(
      "^eval(?:_fail|_warn|_info|_ordered)?\\s+(?:instant\\s+at\\s+\\S+|range\\s+from\\s+\\S+"
      + "\\s+to\\s+\\S+\\s+step\\s+\\S+)\\s+(.*)$");

  private static Path scripts() {
    for (Path p : List.of(Path.of("/work/shared/promqltest"), Path.of("../../shared/promqltest"),
        Path.of("../shared/promqltest"))) {
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }

  /** Not supported yet: the native-histogram trim operators {@code </} and {@code >/}. */
  private static boolean knownUnsupported(String expr) {
    return expr.contains("</") || expr.contains(">/");
  }

  @Test
  void allScriptsParse() throws IOException {
    Path dir = scripts();
    assumeTrue(dir != null, "conformance scripts not available");
    List<String> failures = new ArrayList<>();
    int exprs = 0;
    int series = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
        boolean inLoad = false;
        for (String line : Files.readAllLines(f)) {
          String s = line.strip();
          if (s.isEmpty()) {
            inLoad = false;
            continue;
          }
          if (s.startsWith("#")) {
            continue;
          }
          Matcher m = EVAL.matcher(s);
          if (m.matches()) {
            inLoad = false;
            String expr = m.group(1);
            if (knownUnsupported(expr)) {
              continue;
            }
            exprs++;
            try {
              Parser.parseExpr(expr, ParserOptions.ALL);
            } catch (ParseException e) {
              failures.add(f.getFileName() + ": " + expr + " -> " + e.getMessage());
            }
            continue;
          }
          if (s.startsWith("load")) {
            inLoad = true;
            continue;
          }
          if (inLoad && Character.isWhitespace(line.charAt(0))) {
            series++;
            try {
              Parser.parseSeriesDesc(s);
            } catch (NativeHistogramException e) {
              // reported distinctly; the runner skips these
            } catch (ParseException e) {
              failures.add(f.getFileName() + ": " + s + " -> " + e.getMessage());
            }
          }
        }
      }
    }
    assertTrue(exprs > 1500, "found only " + exprs + " expressions");
    assertTrue(series > 800, "found only " + series + " series");
    assertEquals(List.of(), failures);
  }
}
