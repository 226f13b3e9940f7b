package dev.tsdb.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.index.labels.Labels;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Our /api/v1/rules and /api/v1/alerts data, serialized with Jackson, has the same structure
 * (field names, which fields are omitted when empty, value types) as Prometheus 2.42's answer for
 * the same rule file (captured in src/test/resources/api).
 */
class ApiJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIR = Path.of("src/test/resources/api");

  @Test
  void rulesAndAlertsMatchPrometheusShape() throws Exception {
    RuleTestSupport env = new RuleTestSupport();
    try (RuleManager m = new RuleManager(env.options())) {
      m.update(60_000, List.of(DIR.resolve("rules.yml").toString()), Labels.EMPTY, "");
      Group g = m.groups().get(0);
      long t = 1_700_000_000_000L;
      g.restoreForState(t);
      g.eval(t);
      g.eval(t + 1000);
      JsonNode ours = JSON.valueToTree(Map.of("groups", m.ruleGroupsSnapshot()));
      JsonNode theirs = JSON.readTree(DIR.resolve("prometheus-2.42-rules.json").toFile());
      assertSameShape(theirs, ours, "rules");
      for (int i = 0; i < 4; i++) {
        assertEquals(theirs.at("/groups/0/rules/" + i + "/query").asText(),
            ours.at("/groups/0/rules/" + i + "/query").asText(), "canonical query text");
      }
      assertEquals("1e+00", ours.at("/groups/0/rules/2/alerts/0/value").asText());
      assertEquals("v 1", ours.at("/groups/0/rules/2/alerts/0/annotations/summary").asText());
      assertEquals("pending", ours.at("/groups/0/rules/2/state").asText());
      String text = JSON.writeValueAsString(m.ruleGroupsSnapshot().get(0));
      assertTrue(text.contains("\"interval\":1,"), text);
      assertTrue(text.contains("\"duration\":60,\"keepFiringFor\":60,"), text);

      JsonNode alerts = JSON.valueToTree(Map.of("alerts", m.alertsSnapshot()));
      assertSameShape(JSON.readTree(DIR.resolve("prometheus-2.42-alerts.json").toFile()), alerts,
          "alerts");
    }
  }

  @Test
  void goJsonFloats() {
    assertEquals("1", GoFloat.formatEncodingJson(1.0));
    assertEquals("0.000206118", GoFloat.formatEncodingJson(0.000206118));
    assertEquals("1e-7", GoFloat.formatEncodingJson(1e-7));
    assertEquals("1e+21", GoFloat.formatEncodingJson(1e21));
    assertEquals("123456789", GoFloat.formatEncodingJson(123456789.0));
  }

  /** Same field names at every level and the same JSON node types (arrays compared by item). */
  static void assertSameShape(JsonNode want, JsonNode got, String path) {
    assertEquals(want.getNodeType(), got.getNodeType(), path);
    if (want.isObject()) {
      TreeSet<String> w = new TreeSet<>();
      want.fieldNames().forEachRemaining(w::add);
      TreeSet<String> g = new TreeSet<>();
      got.fieldNames().forEachRemaining(g::add);
      assertEquals(w, g, path);
      for (Iterator<String> it = want.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        assertSameShape(want.get(f), got.get(f), path + "." + f);
      }
    } else if (want.isArray()) {
      assertEquals(want.size(), got.size(), path);
      for (int i = 0; i < want.size(); i++) {
        assertSameShape(want.get(i), got.get(i), path + "[" + i + "]");
      }
    }
  }
}
