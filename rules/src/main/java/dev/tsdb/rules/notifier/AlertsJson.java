package dev.tsdb.rules.notifier;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.gocompat.GoTimeFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes alerts as Alertmanager API v2 PostableAlerts:
 * {@code [{"labels":{..},"annotations":{..},"startsAt":"..","endsAt":"..","generatorURL":".."}]}
 * with times in Go strfmt.DateTime form ({@code 2006-01-02T15:04:05.000Z}).
 */
final class AlertsJson {
  private AlertsJson() {}

  private static final JsonFactory JSON = new JsonFactory();
  /** go-openapi strfmt.DateTime's layout (RFC 3339 with milliseconds). */
  private static final String DATE_TIME = "2006-01-02T15:04:05.000Z07:00";

  static String time(long epochMs) {
    return GoTimeFormat.format(epochMs * 1_000_000L, DATE_TIME);
  }

  static byte[] encode(List<NotifierAlert> alerts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * alerts.size() + 2);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartArray();
      for (NotifierAlert a : alerts) {
        g.writeStartObject();
        g.writeObjectFieldStart("annotations");
        for (Map.Entry<String, String> e : new TreeMap<>(a.annotations()).entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("endsAt", time(a.endsAtMs()));
        g.writeStringField("startsAt", time(a.startsAtMs()));
        g.writeStringField("generatorURL", a.generatorUrl());
        g.writeObjectFieldStart("labels");
        for (int i = 0; i < a.labels().size(); i++) {
          g.writeStringField(a.labels().name(i), a.labels().value(i));
        }
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
