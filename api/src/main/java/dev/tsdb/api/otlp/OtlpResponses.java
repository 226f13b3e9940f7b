package dev.tsdb.api.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.tsdb.api.http.Responses;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.undertow.server.HttpServerExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * OTLP/HTTP answers: 200 with an ExportMetricsServiceResponse (its partial_success naming the
 * refused points), or an error status with a google.rpc.Status body, each in the request's
 * encoding (protobuf when the request's could not be told).
 */
final class OtlpResponses {
  private static final JsonFactory JSON = new JsonFactory();
  private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
      .omittingInsignificantWhitespace();

  private OtlpResponses() {}

  static void success(HttpServerExchange ex, OtlpFormat format, long rejected, String message)
      throws InvalidProtocolBufferException {
    ExportMetricsServiceResponse.Builder r = ExportMetricsServiceResponse.newBuilder();
    if (rejected > 0 || !message.isEmpty()) {
      r.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
          .setRejectedDataPoints(rejected).setErrorMessage(message));
    }
    ExportMetricsServiceResponse resp = r.build();
    byte[] body = format == OtlpFormat.JSON
        ? PRINTER.print(resp).getBytes(StandardCharsets.UTF_8) : resp.toByteArray();
    Responses.send(ex, 200, format.contentType, body);
  }

  static void error(HttpServerExchange ex, OtlpFormat format, int status, String message) {
    OtlpFormat f = format == null ? OtlpFormat.PROTOBUF : format;
    byte[] body = f == OtlpFormat.JSON ? statusJson(grpcCode(status), message)
        : statusProto(grpcCode(status), message);
    Responses.send(ex, status, f.contentType, body);
  }

  /** The google.rpc.Code closest to an HTTP status. */
  static int grpcCode(int httpStatus) {
    return switch (httpStatus) {
      case 400, 415 -> 3; // INVALID_ARGUMENT
      case 413, 429 -> 8; // RESOURCE_EXHAUSTED
      case 503 -> 14; // UNAVAILABLE
      default -> 13; // INTERNAL
    };
  }

  /** google.rpc.Status {int32 code = 1; string message = 2;} without details. */
  static byte[] statusProto(int code, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      CodedOutputStream c = CodedOutputStream.newInstance(out);
      c.writeInt32(1, code);
      c.writeString(2, message);
      c.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] statusJson(int code, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("code", code);
      g.writeStringField("message", message);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
