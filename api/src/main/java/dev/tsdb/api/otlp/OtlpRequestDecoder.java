package dev.tsdb.api.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Decodes an OTLP/HTTP metrics body: gzip or identity, then protobuf or OTLP/JSON.
 *
 * <p>OTLP/JSON is the protobuf JSON mapping (read with protobuf's JsonFormat, unknown fields
 * ignored as the specification requires) with one exception: trace and span ids are hex, not
 * base64. JsonFormat reads them as base64, which hex text always is (its 32 and 16 characters
 * decode without padding), so encoding those bytes back to base64 gives the hex text again.
 */
final class OtlpRequestDecoder {
  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  /** A body we cannot read; the message is for the sender. */
  static final class BadRequest extends Exception {
    final int status;

    BadRequest(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private OtlpRequestDecoder() {}

  /** The request's content after its Content-Encoding, at most maxBytes of it. */
  static byte[] inflate(byte[] body, boolean gzip, int maxBytes) throws BadRequest {
    if (!gzip) {
      return body;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      byte[] out = in.readNBytes(maxBytes);
      if (in.read() >= 0) {
        throw new BadRequest(413, "decompressed request larger than " + maxBytes + " bytes");
      }
      return out;
    } catch (IOException e) {
      throw new BadRequest(400, "gzip: " + e.getMessage());
    }
  }

  static ExportMetricsServiceRequest decode(byte[] content, OtlpFormat format)
      throws BadRequest {
    try {
      if (format == OtlpFormat.PROTOBUF) {
        return ExportMetricsServiceRequest.parseFrom(content);
      }
      ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
      JSON.merge(new InputStreamReader(new ByteArrayInputStream(content),
          StandardCharsets.UTF_8), b);
      hexIds(b);
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      throw new BadRequest(400, "cannot decode OTLP " + format.name().toLowerCase(
          java.util.Locale.ROOT) + " request: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw new BadRequest(400, "cannot decode OTLP json request: " + e.getMessage());
    }
  }

  private static void hexIds(ExportMetricsServiceRequest.Builder b) {
    for (ResourceMetrics.Builder rm : b.getResourceMetricsBuilderList()) {
      for (ScopeMetrics.Builder sm : rm.getScopeMetricsBuilderList()) {
        for (Metric.Builder m : sm.getMetricsBuilderList()) {
          switch (m.getDataCase()) {
            case GAUGE -> m.getGaugeBuilder().getDataPointsBuilderList()
                .forEach(p -> hexIds(p.getExemplarsBuilderList()));
            case SUM -> m.getSumBuilder().getDataPointsBuilderList()
                .forEach(p -> hexIds(p.getExemplarsBuilderList()));
            case HISTOGRAM -> m.getHistogramBuilder().getDataPointsBuilderList()
                .forEach(p -> hexIds(p.getExemplarsBuilderList()));
            case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogramBuilder()
                .getDataPointsBuilderList().forEach(p -> hexIds(p.getExemplarsBuilderList()));
            default -> { }
          }
        }
      }
    }
  }

  private static void hexIds(List<Exemplar.Builder> exemplars) {
    for (Exemplar.Builder e : exemplars) {
      e.setTraceId(hexId(e.getTraceId()));
      e.setSpanId(hexId(e.getSpanId()));
    }
  }

  /** The bytes of the hex text that JsonFormat read as base64 (left alone if it was not hex). */
  static ByteString hexId(ByteString asBase64) {
    if (asBase64.isEmpty()) {
      return asBase64;
    }
    String text = Base64.getEncoder().withoutPadding().encodeToString(asBase64.toByteArray());
    try {
      return ByteString.copyFrom(HexFormat.of().parseHex(text));
    } catch (IllegalArgumentException notHex) {
      return asBase64;
    }
  }
}
