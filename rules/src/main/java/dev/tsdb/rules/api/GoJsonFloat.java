package dev.tsdb.rules.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.tsdb.gocompat.GoFloat;
import java.io.IOException;

/**
 * Writes a double as Go's encoding/json does ({@link GoFloat#formatEncodingJson}: {@code 1},
 * {@code 0.000206118}, {@code 1e-07} as {@code 1e-7}), so durations and intervals in the rules
 * API print exactly as Prometheus prints them.
 */
public final class GoJsonFloat extends JsonSerializer<Double> {
  @Override
  public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers)
      throws IOException {
    gen.writeNumber(GoFloat.formatEncodingJson(value));
  }
}
