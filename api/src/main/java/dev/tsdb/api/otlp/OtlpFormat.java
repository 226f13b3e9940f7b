package dev.tsdb.api.otlp;

import java.util.Locale;

/** The two OTLP/HTTP encodings; a response uses the request's. */
enum OtlpFormat {
  PROTOBUF("application/x-protobuf"),
  JSON("application/json");

  final String contentType;

  OtlpFormat(String contentType) {
    this.contentType = contentType;
  }

  /** The format of a Content-Type header (parameters ignored), or null when neither. */
  static OtlpFormat of(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim()
        .toLowerCase(Locale.ROOT);
    for (OtlpFormat f : values()) {
      if (f.contentType.equals(media)) {
        return f;
      }
    }
    return null;
  }
}
