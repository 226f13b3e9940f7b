package dev.tsdb.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.api.json.ApiJson;
import dev.tsdb.promql.ErrorType;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes the API's JSON envelopes and Prometheus's plain-text answers. */
public final class Responses {
  private Responses() {}

  /**
   * {@code {"status":"success","data":..,"warnings":[..],"infos":[..]}}. The body is rendered to
   * memory first so that a failure while rendering can still become a clean error response.
   */
  public static void success(HttpServerExchange ex, ApiResult result) throws IOException {
    if (result.data() == null) {
      ex.setStatusCode(204);
      ex.endExchange();
      return;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = ApiJson.generator(buf)) {
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      result.data().write(g);
      writeStrings(g, "warnings", result.warnings());
      writeStrings(g, "infos", result.infos());
      g.writeEndObject();
    }
    send(ex, 200, "application/json", buf.toByteArray());
  }

  /** An error envelope with an explicit HTTP status (e.g. 413). */
  public static void error(HttpServerExchange ex, int status, ErrorType type, String message)
      throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    try (JsonGenerator g = ApiJson.generator(buf)) {
      g.writeStartObject();
      g.writeStringField("status", "error");
      g.writeStringField("errorType", type.apiName());
      g.writeStringField("error", message);
      g.writeEndObject();
    }
    send(ex, status, "application/json", buf.toByteArray());
  }

  /** {@code {"status":"error","errorType":"bad_data","error":"..."}} with the type's status. */
  public static void error(HttpServerExchange ex, ErrorType type, String message,
      List<String> warnings) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    try (JsonGenerator g = ApiJson.generator(buf)) {
      g.writeStartObject();
      g.writeStringField("status", "error");
      g.writeStringField("errorType", type.apiName());
      g.writeStringField("error", message);
      writeStrings(g, "warnings", warnings);
      g.writeEndObject();
    }
    send(ex, statusOf(type), "application/json", buf.toByteArray());
  }

  /**
   * The HTTP status of an error type as Prometheus's respondError maps it: canceled is 499
   * (Prometheus 3, nginx's "client closed request"), and "unavailable" falls through its switch
   * to 500 (checked against Prometheus).
   */
  public static int statusOf(ErrorType type) {
    return switch (type) {
      case CANCELED -> 499;
      case UNAVAILABLE -> 500;
      default -> type.httpStatus();
    };
  }

  /** A plain-text answer like Go's http.Error: the message plus a newline. */
  public static void text(HttpServerExchange ex, int status, String message) {
    ex.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
    send(ex, status, "text/plain; charset=utf-8",
        (message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  public static void send(HttpServerExchange ex, int status, String contentType, byte[] body) {
    ex.setStatusCode(status);
    ex.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
    ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
    ex.getResponseSender().send(ByteBuffer.wrap(body));
  }

  private static void writeStrings(JsonGenerator g, String field, List<String> values)
      throws IOException {
    if (values == null || values.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart(field);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
