package dev.tsdb.api.handlers;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.api.ApiException;
import dev.tsdb.api.SelectorParser;
import dev.tsdb.api.http.ApiRequest;
import dev.tsdb.api.http.ApiResult;
import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoNumError;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.rules.RuleManager;
import dev.tsdb.rules.api.AlertSnapshot;
import dev.tsdb.rules.api.AlertingRuleSnapshot;
import dev.tsdb.rules.api.RecordingRuleSnapshot;
import dev.tsdb.rules.api.RuleGroupSnapshot;
import dev.tsdb.rules.api.RuleSnapshot;
import dev.tsdb.rules.notifier.AlertmanagersSnapshot;
import dev.tsdb.rules.notifier.NotifierManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * /api/v1/rules, /api/v1/alerts and /api/v1/alertmanagers from the running rule manager and
 * notifier, with Prometheus 3's filters and JSON (web/api/v1 RuleDiscovery, AlertDiscovery,
 * AlertmanagerDiscovery): RFC 3339 times, durations as seconds in Go's float format, alert values
 * as strings, {@code lastError} omitted when empty.
 *
 * <p>/api/v1/rules parameters: {@code type} (alert|record), {@code rule_name[]},
 * {@code rule_group[]}, {@code file[]}, {@code match[]} (on the rules' configured labels),
 * {@code exclude_alerts}, and pagination by {@code group_limit} / {@code group_next_token}.
 * Groups left without rules by the filters are omitted.
 */
public final class RulesApi {
  private final RuleManager rules;
  private final NotifierManager notifier;
  private final SelectorParser parser;

  public RulesApi(RuleManager rules, NotifierManager notifier, SelectorParser parser) {
    this.rules = rules;
    this.notifier = notifier;
    this.parser = parser;
  }

  public ApiResult rules(ApiRequest r) throws IOException {
    Set<String> names = set(r.params("rule_name[]"));
    Set<String> groupNames = set(r.params("rule_group[]"));
    Set<String> files = set(r.params("file[]"));
    List<List<Matcher>> matcherSets = RequestParams.matcherSets(r.params("match[]"), parser);
    String type = r.param("type").toLowerCase(Locale.ROOT);
    if (!type.isEmpty() && !type.equals("alert") && !type.equals("record")) {
      throw ApiException.invalidParam("type", "not supported value \"" + type + "\"");
    }
    boolean alerting = type.isEmpty() || type.equals("alert");
    boolean recording = type.isEmpty() || type.equals("record");
    boolean excludeAlerts = excludeAlerts(r.param("exclude_alerts"));
    int groupLimit = groupLimit(r.param("group_limit"), r.param("group_next_token"));
    String nextToken = groupLimit > 0 ? r.param("group_next_token") : "";

    List<RuleGroupSnapshot> out = new ArrayList<>();
    String newToken = null;
    boolean foundToken = false;
    for (RuleGroupSnapshot g : rules.ruleGroupsSnapshot()) {
      if (!nextToken.isEmpty() && !foundToken) {
        if (!nextToken.equals(groupToken(g))) {
          continue;
        }
        foundToken = true;
      }
      if ((!groupNames.isEmpty() && !groupNames.contains(g.name()))
          || (!files.isEmpty() && !files.contains(g.file()))) {
        continue;
      }
      List<RuleSnapshot> kept = new ArrayList<>();
      for (RuleSnapshot rule : g.rules()) {
        if (!matches(matcherSets, labels(rule))
            || (!names.isEmpty() && !names.contains(rule.name()))) {
          continue;
        }
        if (rule instanceof AlertingRuleSnapshot ? alerting : recording) {
          kept.add(rule);
        }
      }
      if (kept.isEmpty()) {
        continue;
      }
      if (groupLimit > 0 && out.size() == groupLimit) {
        // One group more than the page holds: the next page starts here.
        newToken = groupToken(g);
        break;
      }
      out.add(new RuleGroupSnapshot(g.name(), g.file(), kept, g.interval(), g.limit(),
          g.evaluationTime(), g.lastEvaluation()));
    }
    if (!nextToken.isEmpty() && !foundToken) {
      throw ApiException.invalidParam("group_next_token", "invalid group_next_token '"
          + nextToken + "'. were rule groups changed?");
    }
    String token = newToken;
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("groups");
      for (RuleGroupSnapshot grp : out) {
        writeGroup(g, grp, excludeAlerts);
      }
      g.writeEndArray();
      if (token != null) {
        g.writeStringField("groupNextToken", token);
      }
      g.writeEndObject();
    });
  }

  public ApiResult alerts(ApiRequest r) {
    List<AlertSnapshot> alerts = rules.alertsSnapshot();
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("alerts");
      for (AlertSnapshot a : alerts) {
        writeAlert(g, a);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  public ApiResult alertmanagers(ApiRequest r) {
    AlertmanagersSnapshot s = notifier.alertmanagersSnapshot();
    return ApiResult.of(g -> {
      g.writeStartObject();
      writeUrls(g, "activeAlertmanagers", s.activeAlertmanagers());
      writeUrls(g, "droppedAlertmanagers", s.droppedAlertmanagers());
      g.writeEndObject();
    });
  }

  private static void writeUrls(JsonGenerator g, String field,
      List<AlertmanagersSnapshot.AlertmanagerUrl> urls) throws IOException {
    g.writeArrayFieldStart(field);
    for (AlertmanagersSnapshot.AlertmanagerUrl u : urls) {
      g.writeStartObject();
      g.writeStringField("url", u.url());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static Set<String> set(List<String> values) {
    return new HashSet<>(values);
  }

  private static Map<String, String> labels(RuleSnapshot r) {
    if (r instanceof AlertingRuleSnapshot a) {
      return a.labels();
    }
    return ((RecordingRuleSnapshot) r).labels();
  }

  /** Prometheus's matchesMatcherSets: no sets match everything, else any set must match. */
  static boolean matches(List<List<Matcher>> sets, Map<String, String> labels) {
    if (sets.isEmpty()) {
      return true;
    }
    for (List<Matcher> set : sets) {
      boolean all = true;
      for (Matcher m : set) {
        String v = labels == null ? null : labels.get(m.name());
        if (!m.matches(v == null ? "" : v)) {
          all = false;
          break;
        }
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  /** strconv.ParseBool on the lowercased value; empty means false. */
  static boolean excludeAlerts(String raw) {
    String v = raw.toLowerCase(Locale.ROOT);
    if (v.isEmpty()) {
      return false;
    }
    try {
      return GoNumbers.parseBool(v);
    } catch (GoNumError e) {
      throw ApiException.invalidParam("exclude_alerts",
          "error converting exclude_alerts: " + e.getMessage());
    }
  }

  /** group_limit as Prometheus validates it; -1 when absent. */
  static int groupLimit(String limit, String nextToken) {
    if (!nextToken.isEmpty() && limit.isEmpty()) {
      throw ApiException.invalidParam("group_next_token",
          "group_limit needs to be present in order to paginate over the groups");
    }
    if (limit.isEmpty()) {
      return -1;
    }
    long n;
    try {
      n = GoNumbers.parseInt(limit, 10, 32);
    } catch (GoNumError e) {
      throw ApiException.invalidParam("group_limit", "group_limit needs to be a valid number: "
          + e.getMessage());
    }
    if (n <= 0) {
      throw ApiException.invalidParam("group_limit", "group_limit needs to be greater than 0");
    }
    return (int) n;
  }

  /** The pagination token of a group: hex SHA-1 of "FILE;NAME", as Prometheus makes it. */
  static String groupToken(RuleGroupSnapshot g) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] d = sha1.digest((g.file() + ";" + g.name()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void number(JsonGenerator g, String field, double v) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(GoFloat.formatEncodingJson(v));
  }

  private static void writeMap(JsonGenerator g, String field, Map<String, String> m)
      throws IOException {
    g.writeObjectFieldStart(field);
    if (m != null) {
      for (Map.Entry<String, String> e : m.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
    }
    g.writeEndObject();
  }

  private static void writeGroup(JsonGenerator g, RuleGroupSnapshot grp, boolean excludeAlerts)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("name", grp.name());
    g.writeStringField("file", grp.file());
    g.writeArrayFieldStart("rules");
    for (RuleSnapshot r : grp.rules()) {
      if (r instanceof AlertingRuleSnapshot a) {
        writeAlertingRule(g, a, excludeAlerts);
      } else {
        writeRecordingRule(g, (RecordingRuleSnapshot) r);
      }
    }
    g.writeEndArray();
    number(g, "interval", grp.interval());
    g.writeNumberField("limit", grp.limit());
    number(g, "evaluationTime", grp.evaluationTime());
    g.writeStringField("lastEvaluation", grp.lastEvaluation());
    g.writeEndObject();
  }

  private static void writeAlertingRule(JsonGenerator g, AlertingRuleSnapshot a,
      boolean excludeAlerts) throws IOException {
    g.writeStartObject();
    g.writeStringField("state", a.state());
    g.writeStringField("name", a.name());
    g.writeStringField("query", a.query());
    number(g, "duration", a.duration());
    number(g, "keepFiringFor", a.keepFiringFor());
    writeMap(g, "labels", a.labels());
    writeMap(g, "annotations", a.annotations());
    g.writeFieldName("alerts");
    if (excludeAlerts) {
      // Prometheus leaves the slice nil, which encoding/json writes as null.
      g.writeNull();
    } else {
      g.writeStartArray();
      for (AlertSnapshot al : a.alerts()) {
        writeAlert(g, al);
      }
      g.writeEndArray();
    }
    g.writeStringField("health", a.health());
    if (a.lastError() != null && !a.lastError().isEmpty()) {
      g.writeStringField("lastError", a.lastError());
    }
    number(g, "evaluationTime", a.evaluationTime());
    g.writeStringField("lastEvaluation", a.lastEvaluation());
    g.writeStringField("type", "alerting");
    g.writeEndObject();
  }

  private static void writeRecordingRule(JsonGenerator g, RecordingRuleSnapshot r)
      throws IOException {
    g.writeStartObject();
    g.writeStringField("name", r.name());
    g.writeStringField("query", r.query());
    if (r.labels() != null && !r.labels().isEmpty()) {
      writeMap(g, "labels", r.labels());
    }
    g.writeStringField("health", r.health());
    if (r.lastError() != null && !r.lastError().isEmpty()) {
      g.writeStringField("lastError", r.lastError());
    }
    number(g, "evaluationTime", r.evaluationTime());
    g.writeStringField("lastEvaluation", r.lastEvaluation());
    g.writeStringField("type", "recording");
    g.writeEndObject();
  }

  private static void writeAlert(JsonGenerator g, AlertSnapshot a) throws IOException {
    g.writeStartObject();
    writeMap(g, "labels", a.labels());
    writeMap(g, "annotations", a.annotations());
    g.writeStringField("state", a.state());
    if (a.activeAt() != null) {
      g.writeStringField("activeAt", a.activeAt());
    }
    if (a.keepFiringSince() != null) {
      g.writeStringField("keepFiringSince", a.keepFiringSince());
    }
    g.writeStringField("value", a.value());
    g.writeEndObject();
  }
}
