package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ast.AggregateExpr;
import dev.tsdb.promql.ast.AggregateOp;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.BinaryExpr;
import dev.tsdb.promql.ast.BinaryOp;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.MatrixSelector;
import dev.tsdb.promql.ast.NumberLiteral;
import dev.tsdb.promql.ast.ParenExpr;
import dev.tsdb.promql.ast.PosRange;
import dev.tsdb.promql.ast.StringLiteral;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.UnaryExpr;
import dev.tsdb.promql.ast.VectorMatching.Cardinality;
import dev.tsdb.promql.ast.VectorSelector;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserTest {
  private static Expr parse(String q) {
    return Parser.parseExpr(q);
  }

  private static double number(String q) {
    return assertInstanceOf(NumberLiteral.class, parse(q)).value();
  }

  @Test
  void numberLiterals() {
    assertEquals(1, number("1"));
    assertEquals(Double.POSITIVE_INFINITY, number("+Inf"));
    assertEquals(Double.NEGATIVE_INFINITY, number("-inF"));
    assertTrue(Double.isNaN(number("NaN")));
    assertTrue(Double.isNaN(number("nan")));
    assertEquals(0.5, number(".5"));
    assertEquals(5, number("5."));
    assertEquals(0.005, number("5e-3"));
    assertEquals(12, number("0xc"));
    assertEquals(31, number("0x1F"));
    assertEquals(493, number("0755"));
    assertEquals(-493, number("-0755"));
    assertEquals(0.0055, number("+5.5e-3"));
    assertEquals(1000, number("1_000"));
    assertEquals(5400, number("1h30m"));
    assertEquals(0.01, number("10ms"));
    NumberLiteral negative = assertInstanceOf(NumberLiteral.class, parse("-1"));
    assertEquals(new PosRange(0, 2), negative.pos());
  }

  @Test
  void durationLiteralRemembersItsForm() {
    NumberLiteral d = assertInstanceOf(NumberLiteral.class, parse("5m"));
    assertTrue(d.duration());
    assertEquals(300, d.value());
    assertFalse(assertInstanceOf(NumberLiteral.class, parse("300")).duration());
  }

  @Test
  void stringLiteralsUnescape() {
    assertEquals("double-quoted string \" with escaped quote",
        ((StringLiteral) parse("\"double-quoted string \\\" with escaped quote\"")).value());
    assertEquals("single-quoted string ' with escaped quote",
        ((StringLiteral) parse("'single-quoted string \\' with escaped quote'")).value());
    assertEquals("backtick \\n raw", ((StringLiteral) parse("`backtick \\n raw`")).value());
    assertEquals("\u0007\b\f\n\r\t\u000b\\\" - \u1234\uD800\uDD11 \u263A",
        ((StringLiteral) parse("\"\\a\\b\\f\\n\\r\\t\\v\\\\\\\" - \\u1234\\U00010111 \u263A\""))
            .value());
    assertEquals("\u263A", ((StringLiteral) parse("\"\\xe2\\x98\\xba\"")).value());
    assertEquals("A", ((StringLiteral) parse("'\\101'")).value());
  }

  @Test
  void invalidUtf8BytesAreKeptAsEscapedBytes() {
    String v = ((StringLiteral) parse("\"a\\xc5z\"")).value();
    assertFalse(GoStrings.isValidUtf8(v));
    assertEquals("\"a\\xc5z\"", GoStrings.quote(v));
  }

  @Test
  void vectorSelectors() {
    VectorSelector vs = assertInstanceOf(VectorSelector.class,
        parse("foo{a=\"b\", foo!=\"bar\", test=~\"test\", bar!~\"baz\",}"));
    assertEquals("foo", vs.name());
    assertEquals(List.of(Matcher.eq("a", "b"), Matcher.neq("foo", "bar"),
        Matcher.re("test", "test"), Matcher.nre("bar", "baz"), Matcher.eq("__name__", "foo")),
        vs.matchers());
    assertEquals(new PosRange(0, 49), vs.pos());

    VectorSelector quoted = (VectorSelector) parse("{\"foo.bar\", \"a.b\"=\"c\"}");
    assertNull(quoted.name());
    assertEquals(List.of(Matcher.eq("__name__", "foo.bar"), Matcher.eq("a.b", "c")),
        quoted.matchers());

    assertEquals("foo:bar", ((VectorSelector) parse("foo:bar{a=\"bc\"}")).name());
    assertEquals("sum", ((VectorSelector) parse("sum")).name());
    assertEquals("offset", ((VectorSelector) parse("offset{step=\"1s\"}")).name());
    assertEquals("NaN", ((VectorSelector) parse("foo{NaN='bc'}")).matchers().get(0).name());
    assertEquals(List.of(Matcher.eq("bar", "}"), Matcher.eq("__name__", "foo")),
        ((VectorSelector) parse("foo{bar='}'}")).matchers());
  }

  @Test
  void offsetsAndAt() {
    VectorSelector vs = (VectorSelector) parse("foo offset 5m");
    assertEquals(300_000, vs.offsetMs());
    assertEquals(new PosRange(0, 13), vs.pos());
    assertEquals(-420_000, ((VectorSelector) parse("foo offset -7m")).offsetMs());
    assertEquals(3_600_000, ((VectorSelector) parse("foo OFFSET 3600")).offsetMs());
    assertEquals(60_030, ((VectorSelector) parse("foo OFFSET 1m30ms")).offsetMs());

    VectorSelector at = (VectorSelector) parse("foo @ 1603774568");
    assertEquals(AtMode.TIMESTAMP, at.atMode());
    assertEquals(1603774568000L, at.atMs());
    assertEquals(-100_000, ((VectorSelector) parse("foo @ -100")).atMs());
    assertEquals(3334, ((VectorSelector) parse("foo @ 3.3335")).atMs());
    assertEquals(10_000, ((VectorSelector) parse("foo @ 0xA")).atMs());
    assertEquals(AtMode.START, ((VectorSelector) parse("foo @ start()")).atMode());
    assertEquals(AtMode.END, ((VectorSelector) parse("foo @ end()")).atMode());

    VectorSelector both = (VectorSelector) parse("foo offset 1m @ 123");
    assertEquals(60_000, both.offsetMs());
    assertEquals(123_000, both.atMs());
    assertEquals(both, parse("foo @ 123 offset 1m"));
  }

  @Test
  void rangesAndSubqueries() {
    MatrixSelector m = (MatrixSelector) parse("test{a=\"b\"}[5y] OFFSET 3d");
    assertEquals(5L * 365 * 24 * 3600 * 1000, m.rangeMs());
    assertEquals(3L * 24 * 3600 * 1000, m.selector().offsetMs());
    assertEquals(new PosRange(0, 25), m.pos());
    assertEquals(4018, ((MatrixSelector) parse("foo[4.018]")).rangeMs());
    assertEquals(5000, ((MatrixSelector) parse("test[5]")).rangeMs());

    SubqueryExpr s = (SubqueryExpr) parse("foo{bar=\"baz\"}[10m5s:1h6ms]");
    assertEquals(605_000, s.rangeMs());
    assertEquals(3_600_006, s.stepMs());
    assertEquals(new PosRange(0, 27), s.pos());
    SubqueryExpr noStep = (SubqueryExpr) parse("foo[10m:]");
    assertEquals(0, noStep.stepMs());
    SubqueryExpr mod = (SubqueryExpr) parse("(foo + bar{nm=\"val\"})[5m:] offset 10m @ 1603775019");
    assertEquals(600_000, mod.offsetMs());
    assertEquals(1603775019000L, mod.atMs());
    assertInstanceOf(ParenExpr.class, mod.expr());
    SubqueryExpr nested = (SubqueryExpr) parse(
        "min_over_time(rate(foo{bar=\"baz\"}[2s])[5m:] offset 4m)[4m:3s]");
    SubqueryExpr inner = (SubqueryExpr) ((Call) nested.expr()).args().get(0);
    assertEquals(240_000, inner.offsetMs());
    assertEquals(new PosRange(14, 53), inner.pos());
  }

  @Test
  void precedenceAndAssociativity() {
    BinaryExpr or = (BinaryExpr) parse("foo + bar or bla and blub");
    assertEquals(BinaryOp.LOR, or.op());
    assertEquals(BinaryOp.ADD, ((BinaryExpr) or.lhs()).op());
    assertEquals(BinaryOp.LAND, ((BinaryExpr) or.rhs()).op());

    BinaryExpr pow = (BinaryExpr) parse("2 ^ 3 ^ 2");
    assertEquals(BinaryOp.POW, ((BinaryExpr) pow.rhs()).op());

    UnaryExpr neg = assertInstanceOf(UnaryExpr.class, parse("-1^2"));
    assertTrue(neg.negate());
    assertEquals(BinaryOp.POW, ((BinaryExpr) neg.expr()).op());

    BinaryExpr mul = (BinaryExpr) parse("-1*2");
    assertEquals(BinaryOp.MUL, mul.op());
    assertEquals(-1, ((NumberLiteral) mul.lhs()).value());

    BinaryExpr sub = (BinaryExpr) parse("1 - 2 - 3");
    assertEquals(BinaryOp.SUB, ((BinaryExpr) sub.lhs()).op());

    BinaryExpr atan = (BinaryExpr) parse("a + b atan2 c");
    assertEquals(BinaryOp.ATAN2, ((BinaryExpr) atan.rhs()).op());
    assertEquals(new PosRange(0, 13), atan.pos());

    UnaryExpr unarySel = (UnaryExpr) parse(" +some_metric");
    assertEquals(new PosRange(1, 13), unarySel.pos());
  }

  @Test
  void histogramTrimOperatorsBindLikeComparisonsButAreNoComparisons() {
    BinaryExpr upper = (BinaryExpr) parse("h </ 2");
    assertEquals(BinaryOp.TRIM_UPPER, upper.op());
    assertEquals("h </ 2", upper.toString());
    // Looser than +, tighter than and; left-associative among the comparisons.
    BinaryExpr lower = (BinaryExpr) parse("h >/ 1 + 1 and g");
    assertEquals(BinaryOp.LAND, lower.op());
    BinaryExpr trim = (BinaryExpr) lower.lhs();
    assertEquals(BinaryOp.TRIM_LOWER, trim.op());
    assertEquals(BinaryOp.ADD, ((BinaryExpr) trim.rhs()).op());
    BinaryExpr chain = (BinaryExpr) parse("h </ 5 >/ on(job) f");
    assertEquals(BinaryOp.TRIM_LOWER, chain.op());
    assertEquals(BinaryOp.TRIM_UPPER, ((BinaryExpr) chain.lhs()).op());
    assertEquals("h </ 5 >/ on (job) f", chain.toString());
    assertFalse(BinaryOp.TRIM_UPPER.isComparison());
    // Between scalars they parse without bool (the engine rejects them), and bool is refused.
    assertEquals(BinaryOp.TRIM_UPPER, ((BinaryExpr) parse("1 </ 2")).op());
    ParseException e = assertThrows(ParseException.class, () -> parse("h </ bool 2"));
    assertEquals("1:3: parse error: bool modifier can only be used on comparison operators",
        e.getMessage());
    e = assertThrows(ParseException.class, () -> parse("h[5m] >/ 2"));
    assertEquals("1:1: parse error: binary expression must contain only scalar and instant"
        + " vector types", e.getMessage());
  }

  @Test
  void vectorMatching() {
    BinaryExpr b = (BinaryExpr) parse("bar + on(foo) bla / on(baz, buz) group_right(test) blub");
    assertEquals(List.of("foo"), b.matching().matchingLabels());
    assertTrue(b.matching().on());
    BinaryExpr div = (BinaryExpr) b.rhs();
    assertEquals(Cardinality.ONE_TO_MANY, div.matching().card());
    assertEquals(List.of("baz", "buz"), div.matching().matchingLabels());
    assertEquals(List.of("test"), div.matching().include());

    BinaryExpr and = (BinaryExpr) parse("foo and ignoring(test,blub) bar");
    assertEquals(Cardinality.MANY_TO_MANY, and.matching().card());
    assertFalse(and.matching().on());

    BinaryExpr scalar = (BinaryExpr) parse("foo == bool 1");
    assertNull(scalar.matching());
    assertTrue(scalar.returnBool());

    BinaryExpr trailing = (BinaryExpr) parse("foo * on(a,) group_left(b,) bar");
    assertEquals(List.of("a"), trailing.matching().matchingLabels());
    assertEquals(Cardinality.MANY_TO_ONE, trailing.matching().card());
    assertEquals(List.of(), ((BinaryExpr) parse("a - on(b) group_left c")).matching().include());
    assertEquals(List.of("x"),
        ((BinaryExpr) parse("a - on(b) group_left (x) c")).matching().include());
  }

  @Test
  void aggregations() {
    AggregateExpr a = (AggregateExpr) parse("sum without(and, by, avg, count, alert, annotations)"
        + "(some_metric)");
    assertTrue(a.without());
    assertEquals(List.of("and", "by", "avg", "count", "alert", "annotations"), a.grouping());
    assertEquals(new PosRange(0, 65), a.pos());

    AggregateExpr after = (AggregateExpr) parse("sum (some_metric) by (foo,bar,)");
    assertEquals(List.of("foo", "bar"), after.grouping());
    assertFalse(after.without());
    assertEquals(new PosRange(0, 31), after.pos());

    AggregateExpr topk = (AggregateExpr) parse("topk(5, some_metric)");
    assertEquals(AggregateOp.TOPK, topk.op());
    assertEquals(5, ((NumberLiteral) topk.param()).value());

    AggregateExpr cv = (AggregateExpr) parse("count_values(\"value\", some_metric)");
    assertEquals("value", ((StringLiteral) cv.param()).value());

    AggregateExpr q = (AggregateExpr) parse("sum by (\"foo bar\", 'baz')({\"some.metric\"})");
    assertEquals(List.of("foo bar", "baz"), q.grouping());

    assertEquals(List.of(), ((AggregateExpr) parse("sum by ()(x)")).grouping());
    assertEquals("sum", ((VectorSelector) ((AggregateExpr) parse("sum(sum)")).expr()).name());
  }

  @Test
  void functionCalls() {
    Call c = (Call) parse("round(some_metric, 5)");
    assertEquals("round", c.func().name());
    assertEquals(2, c.args().size());
    assertEquals(new PosRange(0, 21), c.pos());
    assertEquals("time", ((Call) parse("time()")).func().name());
    assertThrows(ParseException.class, () -> Parser.parseExpr("start()"));
    assertEquals("start", ((Call) Parser.parseExpr("start()", ParserOptions.ALL)).func().name());
    assertEquals("start", ((VectorSelector) parse("start")).name());
    assertEquals("end", ((VectorSelector) parse("end{start=\"foo\"}")).name());
  }

  @Test
  void experimentalFeaturesNeedOptions() {
    ParseException e = assertThrows(ParseException.class,
        () -> Parser.parseExpr("mad_over_time(foo[5m])"));
    assertEquals("1:1: parse error: function \"mad_over_time\" is not enabled", e.getMessage());
    Parser.parseExpr("mad_over_time(foo[5m])", ParserOptions.ALL);
    e = assertThrows(ParseException.class, () -> Parser.parseExpr("limitk(1, foo)"));
    assertEquals("1:1: parse error: limitk() is experimental and must be enabled with "
        + "--enable-feature=promql-experimental-functions", e.getMessage());
    Parser.parseExpr("limit_ratio(0.5, foo)", ParserOptions.ALL);
  }

  @Test
  void commentsAndNewlines() {
    VectorSelector vs = (VectorSelector) parse("# comment\nfoo # trailing\n");
    assertEquals("foo", vs.name());
    ParseException e = assertThrows(ParseException.class, () -> parse("foo\n  + \n  bar baz"));
    assertEquals("3:7: parse error: unexpected identifier \"baz\"", e.getMessage());
    e = assertThrows(ParseException.class, () -> parse(""));
    assertEquals("unknown position: parse error: no expression found in input", e.getMessage());
    e = assertThrows(ParseException.class, () -> parse("# just a comment\n\n"));
    assertEquals("1:1: parse error: no expression found in input", e.getMessage());
  }

  @Test
  void columnsCountUtf8Bytes() {
    ParseException e = assertThrows(ParseException.class, () -> parse("{a=\"\u00e4\u00e4\"} x"));
    assertEquals("1:12: parse error: unexpected identifier \"x\"", e.getMessage());
  }

  @Test
  void allErrorsAreKept() {
    ParseException e = assertThrows(ParseException.class, () -> parse("foo[5y1hs]"));
    assertEquals(2, e.errors().size());
    assertEquals("unknown unit \"hs\" in duration \"5y1hs\"", e.errors().get(0).message());
    assertEquals("duration must be greater than 0", e.errors().get(1).message());
  }

  @Test
  void metricSelectors() {
    assertEquals(List.of(Matcher.eq("job", "api"), Matcher.eq("__name__", "up")),
        Parser.parseMetricSelector("up{job=\"api\"}"));
    assertEquals(List.of(), Parser.parseMetricSelector("{}"));
    ParseException e = assertThrows(ParseException.class,
        () -> Parser.parseMetricSelector("up offset 5m"));
    assertEquals("1:4: parse error: unexpected <offset>", e.getMessage());
  }

  @Test
  void regexErrorsAreParseErrors() {
    ParseException e = assertThrows(ParseException.class, () -> parse("foo{a=~\"(\"}"));
    assertTrue(e.getMessage().startsWith("1:5: parse error: error parsing regexp: "),
        e.getMessage());
  }
}
