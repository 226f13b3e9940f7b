package dev.tsdb.api.handlers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExpositionFormatTest {
  private static final String PROTO =
      "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";

  @Test
  void noAcceptHeaderMeansTextWithUnderscoreEscaping() {
    ExpositionFormat.Negotiated n = ExpositionFormat.negotiate(null);
    assertEquals(ExpositionFormat.TEXT, n.format());
    assertEquals("text/plain; version=0.0.4; charset=utf-8; escaping=underscores",
        n.contentType());
  }

  @Test
  void prometheusScrapeAcceptPicksDelimitedProtobuf() {
    String accept = PROTO + ";q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,"
        + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";
    ExpositionFormat.Negotiated n = ExpositionFormat.negotiate(accept);
    assertEquals(ExpositionFormat.PROTO_DELIMITED, n.format());
    assertEquals("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
        + "encoding=delimited; escaping=underscores", n.contentType());
  }

  @Test
  void qualityDecidesAndUnknownEntriesAreSkipped() {
    assertEquals(ExpositionFormat.TEXT,
        ExpositionFormat.negotiate(PROTO + ";q=0.2,text/plain;q=0.9").format());
    assertEquals(ExpositionFormat.TEXT, ExpositionFormat.negotiate(
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text")
        .format());
    assertEquals(ExpositionFormat.TEXT, ExpositionFormat.negotiate("text/html").format());
    assertEquals(ExpositionFormat.PROTO_DELIMITED,
        ExpositionFormat.negotiate("text/plain;version=1.0.0," + PROTO + ";q=0.1").format());
  }

  @Test
  void aKnownEscapingSchemeIsEchoed() {
    assertEquals("allow-utf-8", ExpositionFormat.negotiate(
        PROTO + ";escaping=allow-utf-8").escaping());
    assertEquals("underscores", ExpositionFormat.negotiate(
        "text/plain;escaping=bogus").escaping());
  }
}
