package dev.tsdb.api.handlers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The exposition format /federate answers in, chosen from the Accept header as prometheus/common's
 * expfmt.Negotiate does: the first acceptable entry by quality that asks for the delimited
 * MetricFamily protobuf or for {@code text/plain} (version 0.0.4 or none) wins; anything else
 * falls back to the text format. Only the text format lacks native histograms.
 *
 * <p>The Content-Type also names the metric-name escaping scheme: {@code underscores} unless an
 * entry seen on the way asked for another known one. Only the header carries it: names are sent
 * as stored (the schemes differ only for names outside the legacy character set).
 */
enum ExpositionFormat {
  TEXT("text/plain; version=0.0.4; charset=utf-8"),
  PROTO_DELIMITED("application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; "
      + "encoding=delimited");

  private static final String PROTO_TYPE = "application/vnd.google.protobuf";
  private static final String PROTO_MESSAGE = "io.prometheus.client.MetricFamily";

  /** The Content-Type without the escaping parameter. */
  final String contentType;

  ExpositionFormat(String contentType) {
    this.contentType = contentType;
  }

  private static final List<String> ESCAPING_SCHEMES =
      List.of("allow-utf-8", "underscores", "dots", "values");

  /** One entry of an Accept header. */
  private record Accepted(String type, String subtype, double q, String proto, String encoding,
      String version, String escaping) {}

  /** A negotiated format with its escaping scheme. */
  record Negotiated(ExpositionFormat format, String escaping) {
    String contentType() {
      return format.contentType + "; escaping=" + escaping;
    }
  }

  static Negotiated negotiate(String accept) {
    String escaping = "underscores";
    for (Accepted a : parse(accept)) {
      if (a.escaping != null && ESCAPING_SCHEMES.contains(a.escaping)) {
        escaping = a.escaping;
      }
      if ((a.type + "/" + a.subtype).equals(PROTO_TYPE) && PROTO_MESSAGE.equals(a.proto)
          && "delimited".equals(a.encoding)) {
        return new Negotiated(PROTO_DELIMITED, escaping);
      }
      // The protobuf text encodings ("text", "compact-text") are not served: Go's prototext
      // output is deliberately unstable, and only debugging tools ask for it.
      if (a.type.equals("text") && a.subtype.equals("plain")
          && (a.version == null || a.version.isEmpty() || a.version.equals("0.0.4"))) {
        return new Negotiated(TEXT, escaping);
      }
    }
    return new Negotiated(TEXT, escaping);
  }

  /** Entries by decreasing quality; among equals, concrete types before wildcards. */
  private static List<Accepted> parse(String header) {
    List<Accepted> out = new ArrayList<>();
    if (header == null) {
      return out;
    }
    for (String part : header.split(",")) {
      String[] fields = part.split(";");
      String mediaType = fields[0].trim();
      int slash = mediaType.indexOf('/');
      String type = slash < 0 ? mediaType : mediaType.substring(0, slash);
      String subtype = slash < 0 ? "*" : mediaType.substring(slash + 1);
      double q = 1;
      String proto = null;
      String encoding = null;
      String version = null;
      String escaping = null;
      for (int i = 1; i < fields.length; i++) {
        String p = fields[i].trim();
        int eq = p.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String value = p.substring(eq + 1).trim();
        switch (key) {
          case "q" -> q = quality(value);
          case "proto" -> proto = value;
          case "encoding" -> encoding = value;
          case "version" -> version = value;
          case "escaping" -> escaping = value;
          default -> { }
        }
      }
      out.add(new Accepted(type, subtype, q, proto, encoding, version, escaping));
    }
    out.sort(Comparator.comparingDouble((Accepted a) -> -a.q)
        .thenComparing(a -> a.type.equals("*"))
        .thenComparing(a -> a.subtype.equals("*")));
    return out;
  }

  private static double quality(String s) {
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
