package dev.tsdb.rules.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.tsdb.rules.template.GoFloat;
import java.io.IOException;

/**
 * Writes a double as Go's encoding/json does: shortest representation, fixed notation unless
 * the magnitude is below 1e-6 or at least 1e21 ({@code 1}, {@code 0.000206118}, {@code 1e-07}),
 * so durations and intervals print exactly as Prometheus prints them.
 */
public final class GoJsonFloat extends JsonSerializer<Double> {
  public static String format(double f) {
    double abs = Math.abs(f);
    if (abs != 0 && (abs < 1e-6 || abs >= 1e21)) {
      String s = GoFloat.format(f, 'e', -1);
      int n = s.length();
      if (n >= 4 && s.charAt(n - 4) == 'e' && s.charAt(n - 3) == '-' && s.charAt(n - 2) == '0') {
        s = s.substring(0, n - 2) + s.charAt(n - 1);
      }
      return s;
    }
    return GoFloat.format(f, 'f', -1);
  }

  @Override
  public void serialize(Double value, JsonGenerator gen, SerializerProvider serializers)
      throws IOException {
    gen.writeNumber(format(value));
  }
}
