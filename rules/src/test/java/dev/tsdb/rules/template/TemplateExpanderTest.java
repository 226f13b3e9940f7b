package dev.tsdb.rules.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.value.Sample;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Scenarios and expected outputs from Prometheus's template/template_test.go (text mode), plus
 * Go text/template behaviour that alert templates rely on.
 */
class TemplateExpanderTest {
  private static final String EXT_URL = "http://testhost:9090/path/prefix";

  private static String expand(String text, Object input, List<Sample> queryResult)
      throws TemplateException {
    QueryFunction q = (expr, ts) -> queryResult;
    return TemplateExpander.expand("test", text, input, q, 0, EXT_URL);
  }

  private static String expand(String text) throws TemplateException {
    return expand(text, null, List.of());
  }

  private static void check(String text, Object input, String want) throws TemplateException {
    assertEquals(want, expand(text, input, List.of()), text);
  }

  private static void check(String text, String want) throws TemplateException {
    check(text, null, want);
  }

  private static void fails(String text, Object input, List<Sample> q, String msg) {
    TemplateException e = assertThrows(TemplateException.class, () -> expand(text, input, q));
    assertEquals(msg, e.getMessage());
  }

  private static GoSlice floats(double... v) {
    return new GoSlice(java.util.Arrays.stream(v).boxed().toList(), "[]float64");
  }

  private static GoSlice strings(String... v) {
    return new GoSlice(List.of(v), "[]string");
  }

  private static GoSlice longs(long... v) {
    return new GoSlice(java.util.Arrays.stream(v).boxed().toList(), "[]int64");
  }

  private static GoSlice uints(BigInteger... v) {
    return new GoSlice(List.of(v), "[]uint64");
  }

  private static final BigInteger MAX_UINT64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  @Test
  void basics() throws Exception {
    check("plain text", "plain text");
    check("{{ 1 }}", "1");
    check("{{ \"<b>\" }}", "<b>");
    check("{{define \"x\"}}{{.arg0}} {{.arg1}}{{end}}{{template \"x\" (args 1 \"2\")}}", "1 2");
    check("{{ .Foo }}", "<no value>");
    fails("{{\u00a0}}", null, List.of(), "error parsing template test: template: test:1: "
        + "unrecognized character in action: U+00A0");
    fails("{{", null, List.of(), "error parsing template test: template: test:1: unclosed action");
  }

  /** Number literals as text/template reads them; error texts checked with promtool 3.5. */
  @Test
  void numberLiterals() throws Exception {
    check("{{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 017 }} {{ 1_000 }}", "31 15 5 15 1000");
    check("{{ 0x1p-2 }} {{ 1.5e3 }}", "0.25 1500");
    fails("{{ 1__0 }}", null, List.of(),
        "error parsing template test: template: test:1: illegal number syntax: \"1__0\"");
    fails("{{ 1e400 }}", null, List.of(),
        "error parsing template test: template: test:1: illegal number syntax: \"1e400\"");
    fails("{{ 99999999999999999999 }}", null, List.of(),
        "error parsing template test: template: test:1: integer overflow: "
            + "\"99999999999999999999\"");
  }

  @Test
  void queries() throws Exception {
    Labels a = Labels.of("__name__", "metric", "instance", "a");
    assertEquals("1.5", expand("{{ query \"1.5\" | first | value }}", null,
        List.of(new Sample(Labels.EMPTY, 0, 1.5))));
    assertEquals("11", expand("{{ query \"metric{instance='a'}\" | first | value }}", null,
        List.of(new Sample(a, 0, 11))));
    assertEquals("a", expand("{{ query \"metric{instance='a'}\" | first | label \"instance\" }}",
        null, List.of(new Sample(a, 0, 11))));
    assertEquals("a", expand("{{ query \"metric{__value__='a'}\" | first | strvalue }}", null,
        List.of(new Sample(Labels.of("__name__", "metric", "__value__", "a"), 0, 11))));
    assertEquals("", expand("{{ query \"metric{instance='a'}\" | first | label \"foo\" }}", null,
        List.of(new Sample(a, 0, 11))));
    assertEquals("", expand("{{ $x := query \"metric\" | first }}{{ $x.Labels.foo }}", null,
        List.of(new Sample(a, 0, 11))));
    assertEquals("a:11: b:21: ", expand(
        "{{ range query \"metric\" | sortByLabel \"instance\" }}{{.Labels.instance}}:{{.Value}}: {{end}}",
        null, List.of(new Sample(Labels.of("__name__", "metric", "instance", "b"), 0, 21),
            new Sample(a, 0, 11))));
    fails("{{ query \"missing\" | first }}", null, List.of(),
        "error executing template test: template: test:1:21: executing \"test\" at <first>: "
            + "error calling first: first() called on vector with no elements");
  }

  @Test
  void stripPortAndDomain() throws Exception {
    check("{{ \"foo.example.com\" | stripPort }}", "foo.example.com");
    check("{{ \"foo.example.com:12345\" | stripPort }}", "foo.example.com");
    check("{{ \"192.0.2.1\" | stripPort }}", "192.0.2.1");
    check("{{ \"192.0.2.1:12345\" | stripPort }}", "192.0.2.1");
    check("{{ \"2001:0DB8::1\" | stripPort }}", "2001:0DB8::1");
    check("{{ \"[2001:0DB8::1]:12345\" | stripPort }}", "2001:0DB8::1");
    check("{{ \"[2001:0DB8::1]::12345\" | stripPort }}", "[2001:0DB8::1]::12345");
    check("{{ \"foo.example.com\" | stripDomain }}", "foo");
    check("{{ \"foo.example.com:12345\" | stripDomain }}", "foo:12345");
    check("{{ \"192.0.2.1\" | stripDomain }}", "192.0.2.1");
    check("{{ \"192.0.2.1:12345\" | stripDomain }}", "192.0.2.1:12345");
    check("{{ \"2001:0DB8::1\" | stripDomain }}", "2001:0DB8::1");
    check("{{ \"[2001:0DB8::1]:12345\" | stripDomain }}", "[2001:0DB8::1]:12345");
    check("{{ \"[2001:0DB8::1]::12345\" | stripDomain }}", "[2001:0DB8::1]::12345");
  }

  @Test
  void humanize() throws Exception {
    String t = "{{ range . }}{{ humanize . }}:{{ end }}";
    check(t, floats(0.0, 1.0, 1234567.0, .12), "0:1:1.235M:120m:");
    check(t, strings("0.0", "1.0", "1234567.0", ".12"), "0:1:1.235M:120m:");
    check(t, longs(0, -1, 1, 1234567, Long.MAX_VALUE), "0:-1:1:1.235M:9.223E:");
    check(t, uints(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(1234567), MAX_UINT64),
        "0:1:1.235M:18.45E:");
    fails("{{ humanize \"one\" }}", null, List.of(),
        "error executing template test: template: test:1:3: executing \"test\" at "
            + "<humanize \"one\">: error calling humanize: strconv.ParseFloat: parsing \"one\": "
            + "invalid syntax");
    fails("{{ humanize \"1e400\" }}", null, List.of(),
        "error executing template test: template: test:1:3: executing \"test\" at "
            + "<humanize \"1e400\">: error calling humanize: strconv.ParseFloat: parsing "
            + "\"1e400\": value out of range");
    check(t, strings("1_000", "0x1p-2", "-Inf"), "1k:250m:-Inf:");
  }

  @Test
  void humanize1024() throws Exception {
    String t = "{{ range . }}{{ humanize1024 . }}:{{ end }}";
    check(t, floats(0.0, 1.0, 1048576.0, .12), "0:1:1Mi:0.12:");
    check(t, strings("0.0", "1.0", "1048576.0", ".12"), "0:1:1Mi:0.12:");
    check(t, longs(0, -1, 1, 1234567, Long.MAX_VALUE), "0:-1:1:1.177Mi:8Ei:");
    check(t, uints(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(1234567), MAX_UINT64),
        "0:1:1.177Mi:16Ei:");
  }

  @Test
  void humanizeDuration() throws Exception {
    String t = "{{ range . }}{{ humanizeDuration . }}:{{ end }}";
    check(t, floats(0, 1, 60, 3600, 86400, 86400 + 3600, -(86400 * 2 + 3600 * 3 + 60 * 4 + 5),
        899.99), "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:1d 1h 0m 0s:-2d 3h 4m 5s:14m 59s:");
    check(t, strings("0", "1", "60", "3600", "86400"), "0s:1s:1m 0s:1h 0m 0s:1d 0h 0m 0s:");
    check(t, floats(.1, .0001, .12345, 60.1, 60.5, 1.2345, 12.345),
        "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:");
    check(t, strings(".1", ".0001", ".12345", "60.1", "60.5", "1.2345", "12.345"),
        "100ms:100us:123.5ms:1m 0s:1m 0s:1.234s:12.35s:");
    check(t, new GoSlice(List.of(0L, -1L, 1L, 1234567L), "[]int"), "0s:-1s:1s:14d 6h 56m 7s:");
  }

  @Test
  void infAndNaN() throws Exception {
    String t = "{{ range . }}{{ humanize . }}:{{ humanize1024 . }}:{{ humanizeDuration . }}:"
        + "{{humanizeTimestamp .}}:{{ end }}";
    String want = "+Inf:+Inf:+Inf:+Inf:-Inf:-Inf:-Inf:-Inf:NaN:NaN:NaN:NaN:";
    check(t, floats(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN), want);
    check(t, strings("+Inf", "-Inf", "NaN"), want);
  }

  @Test
  void humanizePercentage() throws Exception {
    check("{{ -0.22222 | humanizePercentage }}:{{ 0.0 | humanizePercentage }}:"
        + "{{ 0.1234567 | humanizePercentage }}:{{ 1.23456 | humanizePercentage }}",
        "-22.22%:0%:12.35%:123.5%");
    check("{{ range . }}{{ humanizePercentage . }}:{{ end }}",
        longs(0, -1, 1, 1234567, Long.MAX_VALUE), "0%:-100%:100%:1.235e+08%:9.223e+20%:");
    check("{{ \"-0.22222\" | humanizePercentage }}:{{ \"0.0\" | humanizePercentage }}:"
        + "{{ \"0.1234567\" | humanizePercentage }}:{{ \"1.23456\" | humanizePercentage }}",
        "-22.22%:0%:12.35%:123.5%");
    fails("{{ \"one\" | humanizePercentage }}", null, List.of(),
        "error executing template test: template: test:1:11: executing \"test\" at "
            + "<humanizePercentage>: error calling humanizePercentage: strconv.ParseFloat: "
            + "parsing \"one\": invalid syntax");
  }

  @Test
  void humanizeTimestamp() throws Exception {
    check("{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
        longs(0, -1, 1, 1234567, 9223372036L),
        "1970-01-01 00:00:00 +0000 UTC:1969-12-31 23:59:59 +0000 UTC:"
            + "1970-01-01 00:00:01 +0000 UTC:1970-01-15 06:56:07 +0000 UTC:"
            + "2262-04-11 23:47:16 +0000 UTC:");
    check("{{ 1435065584.128 | humanizeTimestamp }}", "2015-06-23 13:19:44.128 +0000 UTC");
    check("{{ \"1435065584.128\" | humanizeTimestamp }}", "2015-06-23 13:19:44.128 +0000 UTC");
    fails("{{ range . }}{{ humanizeTimestamp . }}:{{ end }}",
        longs(Long.MIN_VALUE, Long.MAX_VALUE), List.of(),
        "error executing template test: template: test:1:16: executing \"test\" at "
            + "<humanizeTimestamp .>: error calling humanizeTimestamp: -9.223372036854776e+18 "
            + "cannot be represented as a nanoseconds timestamp since it overflows int64");
    check("{{ (1435065584.128 | toTime).Format \"2006\" }}", "2015");
    check("{{ (\"1435065584.128\" | toTime).Format \"2006\" }}", "2015");
  }

  @Test
  void stringFunctions() throws Exception {
    check("{{ reReplaceAll \"(a)b\" \"x$1\" \"ab\" }}", "xa");
    check("{{ \"aa bb CC\" | title }}", "Aa Bb CC");
    check("{{ \"aa bb CC\" | toUpper }}", "AA BB CC");
    check("{{ \"aA bB CC\" | toLower }}", "aa bb cc");
    check("{{ match \"a+\" \"aa\" }} {{ match \"a+\" \"b\" }}", "true false");
    check("{{ graphLink \"up\" }}", "/graph?g0.expr=up&g0.tab=0");
    check("{{ tableLink \"up\" }}", "/graph?g0.expr=up&g0.tab=1");
    check("{{ pathPrefix }}", "/path/prefix");
    check("{{ externalURL }}", "http://testhost:9090/path/prefix");
    check("{{ printf \"%0.2f\" (parseDuration \"1h2m10ms\") }}", "3720.01");
  }

  @Test
  void goTemplateSemantics() throws Exception {
    // if / else if / else, comparison and logic functions.
    String t = "{{ if gt . 10.0 }}big{{ else if eq . 5.0 }}five{{ else }}small{{ end }}";
    check(t, 11.0, "big");
    check(t, 5.0, "five");
    check(t, 1.0, "small");
    check("{{ if and (lt 1 2) (not false) }}yes{{ end }}", "yes");
    check("{{ or \"\" \"fallback\" }}", "fallback");
    check("{{ and 1 0 }}", "0");
    check("{{ len \"abc\" }} {{ len . }}", strings("a", "b"), "3 2");
    check("{{ index . 1 }}", strings("a", "b"), "b");
    check("{{ ne \"a\" \"b\" }} {{ le 2 2 }} {{ ge 1 2 }}", "true true false");
    // range with index and element variables, else branch, break/continue.
    check("{{ range $i, $e := . }}{{ $i }}={{ $e }};{{ end }}", strings("x", "y"), "0=x;1=y;");
    check("{{ range . }}x{{ else }}empty{{ end }}", strings(), "empty");
    check("{{ range $e := . }}{{ if eq $e \"b\" }}{{ continue }}{{ end }}{{ if eq $e \"d\" }}"
        + "{{ break }}{{ end }}{{ $e }}{{ end }}", strings("a", "b", "c", "d", "e"), "ac");
    // with, variables and assignment.
    check("{{ with .Labels }}{{ .job }}{{ end }}",
        AlertTemplateData.of(Map.of("job", "api"), Map.of(), "", 1), "api");
    check("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2");
    // trim markers and comments.
    check("a  {{- 1 -}}  b", "a1b");
    check("a {{/* comment */}} b", "a  b");
    check("a {{- /* comment */ -}} b", "ab");
    // printf verbs.
    check("{{ printf \"%s|%d|%.2f|%v|%q|%x|%5.1f|%-4s|%t|%%|%e\" \"s\" 42 3.14159 1.5 \"q\" 255 "
        + "2.25 \"ab\" true 1234.5 }}", "s|42|3.14|1.5|\"q\"|ff|  2.2|ab  |true|%|1.234500e+03");
    check("{{ printf \"%d\" 1.5 }}", "%!d(float64=1.5)");
    check("{{ printf \"%s %s\" \"a\" }}", "a %!s(MISSING)");
    // Go's %v of float64: shortest representation, exponent from 1e21 down/up per 'g'.
    check("{{ 1e6 }} {{ 123456.0 }} {{ 0.0001 }} {{ 0.00001 }} {{ 1.0 }}",
        "1e+06 123456 0.0001 1e-05 1");
    check("{{ print 1 2 \"a\" \"b\" 3 }}", "1 2ab3");
    check("{{ html \"<a href='x'>\" }}", "&lt;a href=&#39;x&#39;&gt;");
    check("{{ urlquery \"a b&c\" }}", "a+b%26c");
  }

  @Test
  void parseErrors() {
    assertEquals("error parsing template test: template: test:1: function \"nope\" not defined",
        assertThrows(TemplateException.class, () -> expand("{{ nope }}")).getMessage());
    assertEquals("error parsing template test: template: test:1: undefined variable \"$x\"",
        assertThrows(TemplateException.class, () -> expand("{{ $x }}")).getMessage());
    assertEquals("error parsing template test: template: test:1: unexpected EOF",
        assertThrows(TemplateException.class, () -> expand("{{ if true }}")).getMessage());
    assertEquals("error parsing template test: template: test:1: unexpected {{end}}",
        assertThrows(TemplateException.class, () -> expand("{{ end }}")).getMessage());
    assertEquals("error parsing template test: template: test:2: unclosed action",
        assertThrows(TemplateException.class, () -> expand("a\n{{ 1 ")).getMessage());
    assertEquals("error parsing template test: template: test:1: missing value for command",
        assertThrows(TemplateException.class, () -> expand("{{ }}")).getMessage());
    assertEquals("error parsing template test: template: test:1: {{break}} outside {{range}}",
        assertThrows(TemplateException.class, () -> expand("{{ break }}")).getMessage());
  }

  @Test
  void alertTemplates() throws Exception {
    Template labelsT = TemplateExpander.parseAlert("HighLatency",
        "{{ $labels.instance }} of {{ $externalLabels.cluster }} is at "
            + "{{ $value | humanize }} ({{ .Value }}), {{ printf \"%.1f\" $value }}");
    AlertTemplateData data = AlertTemplateData.of(Map.of("instance", "host:9100"),
        Map.of("cluster", "eu1"), "http://prom", 1234.5678);
    assertEquals("host:9100 of eu1 is at 1.235k (1234.5678), 1234.6",
        TemplateExpander.expandAlert(labelsT, data, null, 0, ""));
    Template missing = TemplateExpander.parseAlert("A", "[{{ $labels.nope }}]");
    assertEquals("[]", TemplateExpander.expandAlert(missing, data, null, 0, ""));
    Template bad = TemplateExpander.parseAlert("A", "{{ query \"up\" | first | value }}");
    assertEquals("<error expanding template: error executing template __alert_A: "
        + "template: __alert_A:1:128: executing \"__alert_A\" at <first>: error calling first: "
        + "first() called on vector with no elements>",
        TemplateExpander.expandAlert(bad, data, (q, ts) -> List.of(), 0, ""));
    // Idioms from widely used alerting mixins.
    AlertTemplateData pod = AlertTemplateData.of(Map.of("namespace", "ns", "pod", "p-1",
        "container", "c", "cluster", "k1", "severity", "critical", "job", "api"), Map.of(), "",
        2.5);
    String[][] cases = {
        {"{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is restarting "
            + "{{ printf \"%.2f\" $value }} times / 10 minutes.",
            "ns/p-1 (c) is restarting 2.50 times / 10 minutes."},
        {"down {{ with $labels.cluster -}} on cluster {{ . }} {{- end }}.",
            "down on cluster k1."},
        {"{{ if and (eq $labels.severity \"critical\") (gt $value 1.0) }}page{{ end }}", "page"},
        {"{{ $labels.job | toUpper | printf \"%s!\" }}", "API!"},
        {"{{ printf \"%.4g\" $value }} {{ $value | humanizeDuration }}", "2.5 2.5s"},
        {"{{ define \"x\" }}[{{ .Labels.pod }}]{{ end }}{{ template \"x\" . }}", "[p-1]"},
        {"{{ $labels.missing | default }}", null},
    };
    for (String[] c : cases) {
      if (c[1] == null) {
        assertThrows(TemplateException.class, () -> TemplateExpander.parseAlert("A", c[0]));
        continue;
      }
      assertEquals(c[1], TemplateExpander.expandAlert(TemplateExpander.parseAlert("A", c[0]),
          pod, null, 0, ""), c[0]);
    }
    TemplateException e = assertThrows(TemplateException.class,
        () -> TemplateExpander.parseAlert("A", "{{ $labels.foo"));
    assertEquals("template: __alert_A:1: unclosed action", e.getMessage());
  }
}
