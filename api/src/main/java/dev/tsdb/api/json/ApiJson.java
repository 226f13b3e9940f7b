package dev.tsdb.api.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.index.labels.Labels;
import java.io.IOException;
import java.io.OutputStream;

/**
 * JSON output as Prometheus (Go's encoding/json, via jsoniter) writes it: compact, HTML-safe
 * escaping ({@code <>&} as {@code \u003c} etc., U+2028/U+2029 escaped), lowercase hex escapes,
 * {@code \b} and {@code \f} as {@code \u0008}/{@code \u000c}, and numbers laid out by the caller.
 * Label sets are the exception: Prometheus 3.x writes them with its own label encoder, which
 * escapes only what JSON requires (see {@link #writeLabels}).
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

  /**
   * A label set as a JSON object, names in label order (what Go's sorted map encoding gives).
   * Prometheus 3.x encodes label sets (series in query results, /series, exemplars) with a
   * dedicated encoder that leaves {@code <>&} and U+2028/U+2029 as they are; control characters
   * are still escaped as everywhere else.
   */
  public static void writeLabels(JsonGenerator g, Labels labels) throws IOException {
    CharacterEscapes outer = g.getCharacterEscapes();
    g.setCharacterEscapes(LABEL_ESCAPES);
    try {
      g.writeStartObject();
      for (int i = 0, n = labels.size(); i < n; i++) {
        g.writeStringField(labels.name(i), labels.value(i));
      }
      g.writeEndObject();
    } finally {
      g.setCharacterEscapes(outer);
    }
  }

  /**
   * A vector sample's or matrix point's timestamp as Prometheus's jsoniter encoder writes it:
   * seconds, then the milliseconds as exactly three digits when not zero (1.500, 2, 1.001).
   */
  public static void writePointTimestamp(JsonGenerator g, long ms) throws IOException {
    g.writeRawValue(formatPointTimestamp(ms));
  }

  public static String formatPointTimestamp(long ms) {
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
      sb.append(frac);
    }
    return sb.toString();
  }

  /**
   * A scalar's or string's timestamp: Go's encoding/json of the float64 seconds, i.e. the
   * shortest decimal (1.5, 2, 1.001).
   */
  public static void writeFloatTimestamp(JsonGenerator g, long ms) throws IOException {
    g.writeRawValue(formatFloatTimestamp(ms));
  }

  public static String formatFloatTimestamp(long ms) {
    String s = formatPointTimestamp(ms);
    if (s.indexOf('.') < 0) {
      return s;
    }
    int end = s.length();
    while (s.charAt(end - 1) == '0') {
      end--;
    }
    return s.substring(0, end);
  }

  /**
   * A vector sample's or matrix point's value as a JSON string, formatted like jsoniter: 'e' when
   * 0 &lt; |v| &lt; 1e-6 or |v| &gt;= 1e21, 'f' otherwise ("42", "1e-07", "+Inf").
   */
  public static void writeSampleValue(JsonGenerator g, double v) throws IOException {
    g.writeString(GoFloat.formatPrometheusJson(v));
  }

  /** A scalar's value: Go's FormatFloat(v, 'f', -1, 64) ("0.0000001", "+Inf"). */
  public static void writeScalarValue(JsonGenerator g, double v) throws IOException {
    g.writeString(GoFloat.formatF(v));
  }

  /**
   * Writes a tree of plain values (Map, List, String, Long/Integer, Double, Boolean, null) as Go
   * would marshal the equivalent; map keys are written in the map's iteration order (use sorted
   * maps to match Go).
   */
  public static void writePlain(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
      g.writeNumber(((Number) v).longValue());
    } else if (v instanceof Number n) {
      g.writeRawValue(GoFloat.formatEncodingJson(n.doubleValue()));
    } else if (v instanceof java.util.Map<?, ?> m) {
      g.writeStartObject();
      for (java.util.Map.Entry<?, ?> e : m.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        writePlain(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Iterable<?> it) {
      g.writeStartArray();
      for (Object o : it) {
        writePlain(g, o);
      }
      g.writeEndArray();
    } else {
      g.writeString(String.valueOf(v));
    }
  }

  private static final CharacterEscapes LABEL_ESCAPES = new LabelEscapes();

  /** JSON's minimum plus {@code \b} and {@code \f} as hex escapes, as jsoniter writes strings. */
  private static final class LabelEscapes extends CharacterEscapes {
    private final int[] ascii;

    LabelEscapes() {
      ascii = CharacterEscapes.standardAsciiEscapesForJSON();
      ascii['\b'] = ESCAPE_STANDARD;
      ascii['\f'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
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
