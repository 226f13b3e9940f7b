/**
 * Recording and alerting rules, Prometheus-compatible: rule files, group scheduling, alert state,
 * template expansion and notification to Alertmanager. Depends on the PromQL engine API and the
 * storage contract only.
 *
 * <h2>Wiring (what tsdb-server does)</h2>
 *
 * <pre>{@code
 * PrometheusConfig cfg = ConfigLoader.load(configFile);             // dev.tsdb.rules.config
 * NotifierManager notifier = new NotifierManager(
 *     NotifierManager.Options.DEFAULT.withMetrics(registry));          // dev.tsdb.rules.notifier
 * notifier.applyConfig(cfg.global().externalLabels(), cfg.alerting());
 * RuleManager rules = new RuleManager(RuleManagerOptions
 *     .of(storage, storage, EngineQueryFunc.of(engine, storage, QueryOptions.DEFAULT))
 *     .withSender(notifier)                                         // or null: no notifications
 *     .withMetrics(registry)                                       // Micrometer
 *     .withResendDelay(resendDelayMs)                              // --rules.alert.resend-delay
 *     .withForState(outageToleranceMs, forGracePeriodMs)           // --rules.alert.for-*
 *     .withDefaultRuleQueryOffset(cfg.global().ruleQueryOffsetMs()));
 * rules.update(cfg.global().evaluationIntervalMs(), cfg.expandRuleFiles(),
 *     cfg.global().externalLabels(), externalUrl);                  // throws RuleLoadException
 * rules.start();                                                    // once storage is ready
 * ...
 * // on SIGHUP / POST /-/reload: reload the config, then notifier.applyConfig(...) and
 * // rules.update(...) again; a failing update keeps the old rules running.
 * ...
 * rules.stop(); notifier.stop();
 * }</pre>
 *
 * <h2>HTTP API data</h2>
 *
 * <ul>
 *   <li>{@code /api/v1/rules}: {@code {"groups": rules.ruleGroupsSnapshot()}}
 *   <li>{@code /api/v1/alerts}: {@code {"alerts": rules.alertsSnapshot()}}
 *   <li>{@code /api/v1/alertmanagers}: {@code notifier.alertmanagersSnapshot()}
 * </ul>
 *
 * <p>All are immutable records in {@link dev.tsdb.rules.api} (and
 * {@link dev.tsdb.rules.notifier.AlertmanagersSnapshot}) that Jackson serializes to the same
 * field names as Prometheus.
 *
 * <h2>Metrics</h2>
 *
 * <p>The rule manager and the notifier register their meters on the Micrometer registry handed
 * in with {@code withMetrics(registry)}, under Prometheus's names and label sets
 * ({@code prometheus_rule_evaluations_total{rule_group}},
 * {@code prometheus_rule_group_last_duration_seconds}, {@code prometheus_notifications_sent_total},
 * {@code prometheus_notifications_dropped_total}, ...; see
 * {@link dev.tsdb.rules.metrics.Meters} for how the names stay Prometheus's).
 *
 * <h2>Packages</h2>
 *
 * <ul>
 *   <li>{@code rulefmt}: rule file parsing and validation (promtool check rules messages)
 *   <li>{@code template}: Go text/template subset with Prometheus's template functions
 *   <li>{@code notifier}: Alertmanager v2 client, queues, batching
 *   <li>{@code relabel}: relabel_configs semantics
 *   <li>{@code config}: the one prometheus.yml loader; every subsystem reads its section
 * </ul>
 */
package dev.tsdb.rules;
