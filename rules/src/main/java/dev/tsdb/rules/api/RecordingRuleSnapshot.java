package dev.tsdb.rules.api;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * A recording rule in /api/v1/rules (web/api/v1 RecordingRule).
 *
 * @param labels the rule's labels, omitted when empty
 * @param lastError the last evaluation error, omitted when empty
 * @param type always "recording"
 */
public record RecordingRuleSnapshot(String name, String query,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> labels, String health,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) String lastError,
    @JsonSerialize(using = GoJsonFloat.class) double evaluationTime,
    String lastEvaluation, String type) implements RuleSnapshot {}
