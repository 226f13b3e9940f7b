package dev.tsdb.rules.api;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;

/**
 * A rule group in /api/v1/rules (web/api/v1 RuleGroup).
 *
 * @param interval evaluation interval in seconds
 * @param limit the group's limit (0 = none)
 * @param evaluationTime seconds the last evaluation of the whole group took
 * @param lastEvaluation RFC 3339 wall-clock time of the last evaluation
 */
public record RuleGroupSnapshot(String name, String file, List<RuleSnapshot> rules,
    @JsonSerialize(using = GoJsonFloat.class) double interval,
    int limit,
    @JsonSerialize(using = GoJsonFloat.class) double evaluationTime,
    String lastEvaluation) {}
