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
 *     NotifierManager.Options.DEFAULT.withMetrics(sink));          // dev.tsdb.rules.notifier
 * notifier.applyConfig(cfg.global().externalLabels(), cfg.alerting());
 * RuleManager rules = new RuleManager(RuleManagerOptions
 *     .of(storage, storage, EngineQueryFunc.of(engine, storage, QueryOptions.DEFAULT))
 *     .withSender(notifier)                                         // or null: no notifications
 *     .withMetrics(sink)
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
 * <p>Everything is reported through {@link dev.tsdb.rules.metrics.MetricsSink} with
 * Prometheus's names ({@code prometheus_rule_evaluations_total},
 * {@code prometheus_rule_evaluation_failures_total},
 * {@code prometheus_rule_group_last_duration_seconds},
 * {@code prometheus_rule_group_iterations_total}, {@code prometheus_notifications_sent_total},
 * {@code prometheus_notifications_dropped_total}, {@code prometheus_notifications_queue_length},
 * ...). {@link dev.tsdb.rules.metrics.InMemoryMetrics} is a ready implementation; bind the
 * interface to Micrometer in the server if preferred.
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
