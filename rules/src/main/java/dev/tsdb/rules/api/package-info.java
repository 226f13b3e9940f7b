/**
 * Immutable, JSON-ready views of rule and alert state for the HTTP API. Serialized with Jackson,
 * the records produce exactly the {@code data} objects of Prometheus's endpoints:
 *
 * <ul>
 *   <li>{@code GET /api/v1/rules}: {@code {"groups": [RuleGroupSnapshot...]}} from
 *       {@link dev.tsdb.rules.RuleManager#ruleGroupsSnapshot()}; each group's {@code rules}
 *       holds {@link dev.tsdb.rules.api.AlertingRuleSnapshot} ({@code type: "alerting"}) and
 *       {@link dev.tsdb.rules.api.RecordingRuleSnapshot} ({@code type: "recording"}) in file
 *       order. Filtering ({@code type}, {@code rule_name[]}, {@code rule_group[]},
 *       {@code file[]}, {@code match[]}, {@code exclude_alerts}) is the API's job.
 *   <li>{@code GET /api/v1/alerts}: {@code {"alerts": [AlertSnapshot...]}} from
 *       {@link dev.tsdb.rules.RuleManager#alertsSnapshot()}.
 *   <li>{@code GET /api/v1/alertmanagers}: {@link dev.tsdb.rules.notifier.AlertmanagersSnapshot}
 *       from {@link dev.tsdb.rules.notifier.NotifierManager#alertmanagersSnapshot()}.
 * </ul>
 *
 * <p>Times are RFC 3339 strings (UTC, Go's time.Time JSON form, {@code 0001-01-01T00:00:00Z} when
 * never set), durations are seconds as doubles, label maps are sorted by name.
 */
package dev.tsdb.rules.api;
