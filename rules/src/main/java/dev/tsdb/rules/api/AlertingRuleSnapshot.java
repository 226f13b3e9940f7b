package dev.tsdb.rules.api;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An alerting rule in /api/v1/rules (web/api/v1 AlertingRule).
 *
 * @param state "unknown" (never evaluated), "inactive", "pending" or "firing"
 * @param query the canonical expression text
 * @param duration {@code for} in seconds
 * @param keepFiringFor {@code keep_firing_for} in seconds
 * @param labels the rule's labels as configured (unexpanded)
 * @param annotations the rule's annotations as configured (unexpanded)
 * @param alerts active (pending and firing) alerts
 * @param health "unknown", "ok" or "err"
 * @param lastError the last evaluation error, omitted when empty
 * @param evaluationTime seconds the last evaluation took
 * @param lastEvaluation RFC 3339 wall-clock time of the last evaluation
 * @param type always "alerting"
 */
public record AlertingRuleSnapshot(String state, String name, String query,
    @JsonSerialize(using = GoJsonFloat.class) double duration,
    @JsonSerialize(using = GoJsonFloat.class) double keepFiringFor,
    Map<String, String> labels, Map<String, String> annotations,
    List<AlertSnapshot> alerts, String health,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) String lastError,
    @JsonSerialize(using = GoJsonFloat.class) double evaluationTime,
    String lastEvaluation, String type) implements RuleSnapshot {}
