package dev.tsdb.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class QueryResultTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static QueryResult parse(String data) throws Exception {
    return QueryResult.parse(JSON.readTree(data));
  }

  @Test
  void vectorsCompareByLabelSetRegardlessOfOrder() throws Exception {
    QueryResult a = parse("{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"job\":\"a\",\"x\":\"1\"},\"value\":[10.5,\"1\"]},"
        + "{\"metric\":{\"job\":\"b\"},\"value\":[10.5,\"NaN\"]}]}");
    QueryResult b = parse("{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"job\":\"b\"},\"value\":[10.5,\"NaN\"]},"
        + "{\"metric\":{\"x\":\"1\",\"job\":\"a\"},\"value\":[10.5,\"1\"]}]}");
    assertEquals("equal", a.compare(b));
    assertEquals(2, a.seriesCount());
    assertEquals(2, a.pointCount());
  }

  @Test
  void matricesToleranceAndDifferences() throws Exception {
    QueryResult a = parse("{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":\"a\"},"
        + "\"values\":[[1,\"1.0\"],[2,\"2.0\"]]}]}");
    QueryResult close = parse("{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":"
        + "\"a\"},\"values\":[[1,\"1.0000000001\"],[2,\"2\"]]}]}");
    QueryResult off = parse("{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":\"a\"},"
        + "\"values\":[[1,\"1.0\"],[2,\"2.1\"]]}]}");
    QueryResult missing = parse("{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":"
        + "\"a\"},\"values\":[[1,\"1.0\"]]}]}");
    QueryResult other = parse("{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"job\":\"b\"},"
        + "\"values\":[[1,\"1.0\"],[2,\"2.0\"]]}]}");
    assertTrue(a.compare(close).startsWith("close"), a.compare(close));
    assertTrue(a.compare(off).startsWith("DIFFERENT value"), a.compare(off));
    assertTrue(a.compare(missing).startsWith("DIFFERENT point counts"), a.compare(missing));
    assertTrue(a.compare(other).startsWith("DIFFERENT series: 1 only in first"),
        a.compare(other));
    assertEquals(3, a.pointCount() + missing.pointCount());
  }

  @Test
  void scalarsAndTypes() throws Exception {
    QueryResult s = parse("{\"resultType\":\"scalar\",\"result\":[5,\"+Inf\"]}");
    QueryResult v = parse("{\"resultType\":\"vector\",\"result\":[]}");
    assertEquals("equal", s.compare(parse("{\"resultType\":\"scalar\",\"result\":[5,\"+Inf\"]}")));
    assertTrue(s.compare(v).startsWith("DIFFERENT result types"));
  }

  @Test
  void queryUrlsCarryMillisecondTimes() {
    BenchQuery q = new BenchQuery("r", "sum(x)", 1_700_000_010_000L, 1_699_999_990_500L, 15_000);
    assertEquals("/api/v1/query_range?query=sum%28x%29&start=1699999990.500"
        + "&end=1700000010.000&step=15.000", q.pathAndQuery());
    assertEquals("/api/v1/query?query=up&time=1.001",
        new BenchQuery("i", "up", 1001, 0, 0).pathAndQuery());
  }
}
