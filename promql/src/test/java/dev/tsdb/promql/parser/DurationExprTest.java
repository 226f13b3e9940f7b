package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.DurationResolver;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import org.junit.jupiter.api.Test;

/** Experimental duration expressions: parsing, formatting, resolution per query. */
class DurationExprTest {
  private static Expr parse(String q) {
    return Parser.parseExpr(q, ParserOptions.ALL);
  }

  private static Expr resolve(String q, long startMs, long endMs, long stepMs) {
    return DurationResolver.resolve(parse(q), startMs, endMs, stepMs);
  }

  @Test
  void constantExpressionsResolveAndFormatAsWritten() {
    Call c = (Call) resolve("changes(http_requests[2m*(10+5)])", 0, 0, 0);
    MatrixSelector m = (MatrixSelector) c.args().get(0);
    assertEquals(1_800_000, m.rangeMs());
    assertEquals("changes(http_requests[2m * (10 + 5)])", c.toString());

    SubqueryExpr s = (SubqueryExpr) ((Call) resolve(
        "sum_over_time(metric1_total[29s+1s:20*500ms] offset -(20*(((((8 - 2) / 3) * 7s) % 4)"
            + " + 8000ms)))", 0, 0, 0)).args().get(0);
    assertEquals(30_000, s.rangeMs());
    assertEquals(10_000, s.stepMs());
    assertEquals(-200_000, s.offsetMs());
  }

  @Test
  void stepAndRangeComeFromTheQuery() {
    MatrixSelector m = (MatrixSelector) ((Call) resolve(
        "count_over_time(metric1_total[min_of(step()+1,1h)])", 50_000, 60_000, 5_000))
        .args().get(0);
    assertEquals(6_000, m.rangeMs());
    VectorSelector vs = (VectorSelector) resolve("metric1_total offset range()", 50_000,
        60_000, 5_000);
    assertEquals(10_000, vs.offsetMs());
    assertEquals("metric1_total offset range()", vs.toString());
    VectorSelector neg = (VectorSelector) ((BinaryExpr) resolve(
        "metric1_total offset -min_of(step(), 1s)+8000", 0, 10_000, 5_000)).lhs();
    assertEquals(-1_000, neg.offsetMs());
  }

  @Test
  void offsetTakesOneOperandLikeUpstream() {
    BinaryExpr b = (BinaryExpr) parse("foo offset 5s-8");
    assertEquals(5_000, ((VectorSelector) b.lhs()).offsetMs());
    assertNull(((VectorSelector) b.lhs()).offsetExpr());
    BinaryExpr pow = (BinaryExpr) parse("foo offset -1^1");
    assertEquals(-1_000, ((VectorSelector) pow.lhs()).offsetMs());
    assertEquals("foo offset (-2 ^ 2)", parse("foo offset (-2 ^ 2)").toString());
    assertEquals(-4_000, ((VectorSelector) DurationResolver.resolve(
        parse("foo offset (-2 ^ 2)"), 0, 0, 0)).offsetMs());
  }

  @Test
  void resolutionErrorsAreUpstreams() {
    PromQLException e = assertThrows(PromQLException.class,
        () -> resolve("foo[5m - 10m]", 0, 0, 0));
    assertEquals("duration must be greater than 0", e.getMessage());
    e = assertThrows(PromQLException.class, () -> resolve("foo[step()]", 0, 0, 0));
    assertEquals("duration must be greater than 0", e.getMessage());
    e = assertThrows(PromQLException.class, () -> resolve("foo[1m / (step() - step())]", 0,
        60_000, 15_000));
    assertEquals("division by zero", e.getMessage());
  }

  @Test
  void plainTreesAreLeftAlone() {
    Expr e = parse("rate(foo[5m] offset 1m)");
    assertSame(e, DurationResolver.resolve(e, 0, 0, 0));
  }

  @Test
  void parseTimeErrors() {
    assertEquals("1:11: parse error: division by zero",
        assertThrows(ParseException.class, () -> parse("foo[step()/0d]")).getMessage());
    assertEquals("1:15: parse error: division by zero",
        assertThrows(ParseException.class, () -> parse("foo offset (4d/0)")).getMessage());
    assertEquals("1:12: parse error: duration out of range",
        assertThrows(ParseException.class, () -> parse("foo offset 9.5e10")).getMessage());
    assertEquals("1:5: parse error: experimental duration expression is not enabled",
        assertThrows(ParseException.class, () -> Parser.parseExpr("foo[5m+1m]")).getMessage());
    assertEquals("1:9: parse error: unexpected \"]\" in subquery or range selector, expected "
        + "number, duration, step(), or range()",
        assertThrows(ParseException.class, () -> parse("foo[step]")).getMessage());
    assertEquals("1:26: parse error: no offset modifiers allowed before range",
        assertThrows(ParseException.class, () -> parse("some_metric offset step()[5m]"))
            .getMessage());
  }
}
