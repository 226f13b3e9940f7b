package dev.tsdb.api.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.tsdb.labels.Labels;
import java.io.IOException;
import java.io.OutputStream;

/**
 * JSON output as Prometheus (Go's encoding/json, via jsoniter) writes it: compact, HTML-safe
 * escaping ({@code <>&} as {@code \u003c} etc., U+2028/U+2029 escaped), lowercase hex escapes,
 * {@code \b} and {@code \f} as {@code \u0008}/{@code \u000c}, and numbers laid out by the caller.
 */
public final class ApiJson {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
      .build()
      .setCharacterEscapes(new GoEscapes());

  private ApiJson() {}

  public static JsonGenerator generator(OutputStream out) throws IOException {
    JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return g;
  }

  /** A label set as a JSON object, names in label order (what Go's sorted map encoding gives). */
  public static void writeLabels(JsonGenerator g, Labels labels) throws IOException {
    g.writeStartObject();
    for (int i = 0, n = labels.size(); i < n; i++) {
      g.writeStringField(labels.name(i), labels.value(i));
    }
    g.writeEndObject();
  }

  /** Milliseconds as seconds with up to three decimals, trailing zeros trimmed (1.5, 2, 1.001). */
  public static void writeTimestamp(JsonGenerator g, long ms) throws IOException {
    g.writeRawValue(formatTimestamp(ms));
  }

  public static String formatTimestamp(long ms) {
    StringBuilder sb = new StringBuilder(20);
    long t = ms;
    if (t < 0) {
      sb.append('-');
      t = -t; // Long.MIN_VALUE cannot be a valid Prometheus timestamp in practice
    }
    sb.append(t / 1000);
    long frac = t % 1000;
    if (frac != 0) {
      sb.append('.');
      if (frac < 100) {
        sb.append('0');
      }
      if (frac < 10) {
        sb.append('0');
      }
      while (frac % 10 == 0) {
        frac /= 10;
      }
      sb.append(frac);
    }
    return sb.toString();
  }

  /** A sample value as a JSON string ("42", "+Inf", "1e-07"). */
  public static void writeSampleValue(JsonGenerator g, double v) throws IOException {
    g.writeString(GoFloat.formatPrometheus(v));
  }

  /** Escapes Go's encoding/json applies beyond JSON's minimum. */
  private static final class GoEscapes extends CharacterEscapes {
    private static final SerializedString LS = new SerializedString("\\u2028");
    private static final SerializedString PS = new SerializedString("\\u2029");
    private final int[] ascii;

    GoEscapes() {
      ascii = CharacterEscapes.standardAsciiEscapesForJSON();
      ascii['<'] = ESCAPE_STANDARD;
      ascii['>'] = ESCAPE_STANDARD;
      ascii['&'] = ESCAPE_STANDARD;
      ascii['\b'] = ESCAPE_STANDARD;
      ascii['\f'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028) {
        return LS;
      }
      if (ch == 0x2029) {
        return PS;
      }
      return null;
    }
  }
}
