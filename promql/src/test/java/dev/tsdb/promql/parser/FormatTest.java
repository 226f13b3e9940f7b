package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.Prettier;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Expr.toString() (upstream's String()) and Prettier (format_query) against Prometheus. */
class FormatTest {
  static List<Arguments> oneLine() throws IOException {
    return TsvCases.load("format_cases.tsv");
  }

  static List<Arguments> pretty() throws IOException {
    return TsvCases.load("pretty_cases.tsv");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneLine")
  void formatsLikePrometheus(String query, String expectedJson) {
    Expr e = Parser.parseExpr(query);
    String expected = TsvCases.unjson(expectedJson);
    assertEquals(expected, e.toString());
    // Formatting is a fixed point: the formatted query parses back to the same formatting.
    assertEquals(expected, Parser.parseExpr(expected).toString());
    assertEquals(expected, Prettier.format(e));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("pretty")
  void prettifiesLikePrometheus(String query, String expectedJson) {
    Expr e = Parser.parseExpr(query);
    String expected = TsvCases.unjson(expectedJson);
    assertEquals(expected, Prettier.format(e));
    assertEquals(e.toString(), Parser.parseExpr(expected).toString());
  }

  private static String fmt(String q) {
    return Parser.parseExpr(q, ParserOptions.ALL).toString();
  }

  @Test
  void durationsUsedAsNumbersStayDurations() {
    assertEquals("foo > 5m", fmt("foo > 300s"));
    assertEquals("rate(x[5m]) * 1h30m", fmt("rate(x[5m]) * 5400s"));
    assertEquals("-5m", fmt("-5m"));
    assertEquals("300", fmt("300"));
    assertEquals("vector(1d)", fmt("vector(24h)"));
  }

  @Test
  void numbersUseShortestPlainDigits() {
    assertEquals("0.1", fmt("0.1"));
    assertEquals("0.0000001", fmt("1e-7"));
    assertEquals("1" + "0".repeat(21), fmt("1e21"));
    assertEquals("-0", fmt("-0"));
    assertEquals("+Inf", fmt("Inf"));
    assertEquals("NaN", fmt("nan"));
    assertEquals("0." + "0".repeat(323) + "5", fmt("4.9e-324"));
    assertEquals("123456789.123", fmt("123456789.123"));
  }

  @Test
  void experimentalModifiers() {
    assertEquals("rate(foo[5m] anchored)", fmt("rate(foo[5m] anchored)"));
    assertEquals("foo[5m] smoothed @ 1.000 offset 1m", fmt("foo[5m] smoothed offset 1m @ 1"));
    assertEquals("foo smoothed", fmt("foo smoothed"));
    assertEquals("a + fill (0) b", fmt("a + fill(0) b"));
    assertEquals("a + fill_left (0) fill_right (0) b", fmt("a + fill_left(0) fill_right(0) b"));
    assertEquals("a + on (x) group_left () fill_right (1e+06) b",
        fmt("a + on(x) group_left fill_right(1e6) b"));
    assertEquals("a > bool fill (NaN) b", fmt("a > bool fill(NaN) b"));
    assertEquals("fill + fill", fmt("fill + fill"));
  }

  @Test
  void quotedNamesAndValues() {
    assertEquals("{\"foo.bar\"=\"x\",__name__=\"a.b\"}", fmt("{\"a.b\", \"foo.bar\"=\"x\"}"));
    assertEquals("sum by (\"foo bar\", baz) ({__name__=\"a\"})",
        fmt("sum by ('foo bar', baz) ({__name__='a'})"));
    assertEquals("foo{a=\"\\n\\t\\\"\\u00a0\"}", fmt("foo{a=\"\\n\\t\\\"\\u00a0\"}"));
    assertEquals("\"\\xff\"", fmt("\"\\xff\""));
  }
}
