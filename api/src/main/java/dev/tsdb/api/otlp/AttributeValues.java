package dev.tsdb.api.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.gocompat.GoFloat;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * Attribute values as label values, the way the OpenTelemetry Collector's pdata writes them
 * (Value.AsString, which Prometheus uses): strings as they are, numbers as JSON numbers, bytes in
 * base64, arrays and maps as JSON (map keys sorted).
 */
final class AttributeValues {
  private static final JsonFactory JSON = new JsonFactory();

  private AttributeValues() {}

  static String asString(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> doubleString(v.getDoubleValue());
      case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
      case ARRAY_VALUE, KVLIST_VALUE -> json(v);
      case VALUE_NOT_SET -> "";
    };
  }

  private static String doubleString(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "json: unsupported value: " + (Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
    }
    return GoFloat.formatEncodingJson(d);
  }

  private static String json(AnyValue v) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(g, v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static void write(JsonGenerator g, AnyValue v) throws IOException {
    switch (v.getValueCase()) {
      case STRING_VALUE -> g.writeString(v.getStringValue());
      case BOOL_VALUE -> g.writeBoolean(v.getBoolValue());
      case INT_VALUE -> g.writeNumber(v.getIntValue());
      case DOUBLE_VALUE -> g.writeRawValue(doubleString(v.getDoubleValue()));
      case BYTES_VALUE -> g.writeString(asString(v));
      case ARRAY_VALUE -> {
        g.writeStartArray();
        for (AnyValue e : v.getArrayValue().getValuesList()) {
          write(g, e);
        }
        g.writeEndArray();
      }
      case KVLIST_VALUE -> {
        List<KeyValue> kvs = new ArrayList<>(v.getKvlistValue().getValuesList());
        kvs.sort(Comparator.comparing(KeyValue::getKey));
        g.writeStartObject();
        for (KeyValue kv : kvs) {
          g.writeFieldName(kv.getKey());
          write(g, kv.getValue());
        }
        g.writeEndObject();
      }
      case VALUE_NOT_SET -> g.writeNull();
    }
  }
}
