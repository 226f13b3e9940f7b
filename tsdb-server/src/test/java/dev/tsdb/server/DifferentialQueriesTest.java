package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The differential tests' answer normalisation. */
class DifferentialQueriesTest {
  @Test
  void annotationsAreSortedWithinEachList() {
    String body = "{\"status\":\"success\",\"data\":{},\"warnings\":[\"b \\\"x\\\" (1:7)\","
        + "\"a\"],\"infos\":[\"only\"]}";
    assertEquals("{\"status\":\"success\",\"data\":{},\"warnings\":[\"a\",\"b \\\"x\\\" (1:7)\"],"
        + "\"infos\":[\"only\"]}", DifferentialQueries.annotationsSorted(body));
    String none = "{\"status\":\"success\",\"data\":{\"result\":[]},\"warnings\":[]}";
    assertEquals(none, DifferentialQueries.annotationsSorted(none));
  }
}
