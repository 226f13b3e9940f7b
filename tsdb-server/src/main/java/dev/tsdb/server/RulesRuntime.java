package dev.tsdb.server;

import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.rules.EngineQueryFunc;
import dev.tsdb.rules.RuleLoadException;
import dev.tsdb.rules.RuleManager;
import dev.tsdb.rules.RuleManagerOptions;
import dev.tsdb.rules.config.ConfigException;
import dev.tsdb.rules.config.PrometheusConfig;
import dev.tsdb.rules.notifier.NotifierManager;
import dev.tsdb.rules.rulefmt.RuleFileError;
import dev.tsdb.server.log.Log;
import dev.tsdb.index.storage.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The rule manager and the Alertmanager notifier, wired to the server's storage, engine and
 * metrics (Prometheus's "rules" and "notify" reloaders).
 *
 * <p>Lifecycle: {@link #apply} loads the configuration (at start-up before the storage is open,
 * again on every reload); {@link #start} begins evaluation once the storage is ready;
 * {@link #stopRules} before the storage closes, so no evaluation writes into a closed storage;
 * {@link #stopNotifier} last, after sending what is queued.
 */
final class RulesRuntime {
  private static final Logger LOG = Logger.getLogger(RulesRuntime.class.getName());

  /** Settings from flags. */
  record Options(long outageToleranceMs, long forGracePeriodMs, long resendDelayMs,
      int queueCapacity, boolean drainOnShutdown) {}

  private final NotifierManager notifier;
  private final RuleManager rules;

  RulesRuntime(Storage storage, QueryEngine engine, MeterRegistry metrics, Options o,
      dev.tsdb.rules.querylog.QueryLogger queryLog) {
    NotifierManager.Options d = NotifierManager.Options.DEFAULT;
    this.notifier = new NotifierManager(new NotifierManager.Options(o.queueCapacity(),
        d.maxBatchSize(), d.maxRetries(), d.retryBackoffMs(), o.drainOnShutdown(), metrics));
    this.rules = new RuleManager(RuleManagerOptions
        .of(storage, storage, EngineQueryFunc.of(engine, storage, QueryOptions.DEFAULT, queryLog))
        .withSender(notifier)
        .withMetrics(metrics)
        .withResendDelay(o.resendDelayMs())
        .withForState(o.outageToleranceMs(), o.forGracePeriodMs()));
  }

  /**
   * Applies external labels and the alerting section to the notifier, then (re)loads the rule
   * files. Both are attempted even when the first fails, as Prometheus runs every reloader; a
   * failed rule load keeps the previous rules running.
   *
   * @return the problems, one line each ({@code FILE: LINE:COL: reason} for rule files); empty
   *     when everything applied
   */
  List<String> apply(PrometheusConfig cfg, String externalUrl) {
    List<String> errors = new ArrayList<>();
    try {
      notifier.applyConfig(cfg);
    } catch (ConfigException e) {
      errors.add(e.getMessage());
      Log.error(LOG, "Failed to apply configuration", null, "err", e.getMessage());
    }
    try {
      rules.update(cfg, externalUrl);
    } catch (RuleLoadException e) {
      // The rule manager has logged each problem ("loading groups failed: FILE: LINE:COL: ...").
      for (RuleFileError err : e.errors()) {
        errors.add(err.toString());
      }
      Log.error(LOG, "Failed to apply configuration", null, "err",
          "error loading rules, previous rule set restored");
    }
    return errors;
  }

  void start() {
    rules.start();
  }

  void stopRules() {
    Log.info(LOG, "Stopping rule manager...");
    rules.stop();
    Log.info(LOG, "Rule manager stopped");
  }

  void stopNotifier() {
    Log.info(LOG, "Stopping notification manager...");
    notifier.stop();
    Log.info(LOG, "Notification manager stopped");
  }

  RuleManager rules() {
    return rules;
  }

  NotifierManager notifier() {
    return notifier;
  }
}
