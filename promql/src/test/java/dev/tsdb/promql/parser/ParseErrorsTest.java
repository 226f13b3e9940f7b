package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.promql.ErrorType;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Exact error messages for a table of broken queries (parse_errors.tsv). */
class ParseErrorsTest {
  static List<Arguments> cases() throws IOException {
    return TsvCases.load("parse_errors.tsv");
  }

  static List<Arguments> experimentalCases() throws IOException {
    return TsvCases.load("parse_errors_experimental.tsv");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void reportsPrometheusMessage(String query, String expected) {
    ParseException e = assertThrows(ParseException.class, () -> Parser.parseExpr(query));
    assertEquals(expected, e.getMessage());
    assertEquals(ErrorType.BAD_DATA, e.type());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experimentalCases")
  void reportsPrometheusMessageWithExperimentalFeatures(String query, String expected) {
    ParseException e = assertThrows(ParseException.class,
        () -> Parser.parseExpr(query, ParserOptions.ALL));
    assertEquals(expected, e.getMessage());
  }
}
