package dev.tsdb.rules;

import io.micrometer.core.instrument.MeterRegistry;
import dev.tsdb.rules.notifier.AlertSender;
import dev.tsdb.rules.rulefmt.NameValidation;
import dev.tsdb.rules.template.QueryFunction;
import dev.tsdb.index.storage.Appendable;
import dev.tsdb.index.storage.Queryable;
import java.util.function.LongSupplier;

/**
 * What a {@link RuleManager} needs. Defaults follow Prometheus's flags:
 * {@code --rules.alert.for-outage-tolerance=1h}, {@code --rules.alert.for-grace-period=10m},
 * {@code --rules.alert.resend-delay=1m}, {@code rule_query_offset=0}.
 *
 * @param appendable where rule results and ALERTS series are written
 * @param queryable read for ALERTS_FOR_STATE restoration
 * @param queryFunction runs rule expressions (see {@link EngineQueryFunc})
 * @param sender receives alerts to notify, or null for none
 * @param metrics registry for the prometheus_rule_* metrics (null: a private one nobody reads)
 * @param clock wall clock in epoch milliseconds
 * @param evaluationThreads size of the shared evaluation scheduler
 */
public record RuleManagerOptions(Appendable appendable, Queryable queryable,
    QueryFunction queryFunction, AlertSender sender, long outageToleranceMs,
    long forGracePeriodMs, long resendDelayMs, long defaultRuleQueryOffsetMs,
    MeterRegistry metrics, LongSupplier clock, int evaluationThreads,
    NameValidation nameValidation) {

  public static RuleManagerOptions of(Appendable appendable, Queryable queryable,
      QueryFunction queryFunction) {
    return new RuleManagerOptions(appendable, queryable, queryFunction, null, 3_600_000L,
        600_000L, 60_000L, 0, null, System::currentTimeMillis, 2,
        NameValidation.UTF8);
  }

  public RuleManagerOptions withSender(AlertSender s) {
    return new RuleManagerOptions(appendable, queryable, queryFunction, s, outageToleranceMs,
        forGracePeriodMs, resendDelayMs, defaultRuleQueryOffsetMs, metrics, clock,
        evaluationThreads, nameValidation);
  }

  public RuleManagerOptions withForState(long outageToleranceMs, long forGracePeriodMs) {
    return new RuleManagerOptions(appendable, queryable, queryFunction, sender, outageToleranceMs,
        forGracePeriodMs, resendDelayMs, defaultRuleQueryOffsetMs, metrics, clock,
        evaluationThreads, nameValidation);
  }

  public RuleManagerOptions withResendDelay(long ms) {
    return new RuleManagerOptions(appendable, queryable, queryFunction, sender, outageToleranceMs,
        forGracePeriodMs, ms, defaultRuleQueryOffsetMs, metrics, clock, evaluationThreads,
        nameValidation);
  }

  public RuleManagerOptions withDefaultRuleQueryOffset(long ms) {
    return new RuleManagerOptions(appendable, queryable, queryFunction, sender, outageToleranceMs,
        forGracePeriodMs, resendDelayMs, ms, metrics, clock, evaluationThreads, nameValidation);
  }

  public RuleManagerOptions withMetrics(MeterRegistry m) {
    return new RuleManagerOptions(appendable, queryable, queryFunction, sender, outageToleranceMs,
        forGracePeriodMs, resendDelayMs, defaultRuleQueryOffsetMs, m, clock, evaluationThreads,
        nameValidation);
  }

  public RuleManagerOptions withClock(LongSupplier c) {
    return new RuleManagerOptions(appendable, queryable, queryFunction, sender, outageToleranceMs,
        forGracePeriodMs, resendDelayMs, defaultRuleQueryOffsetMs, metrics, c, evaluationThreads,
        nameValidation);
  }

  public RuleManagerOptions withNameValidation(NameValidation n) {
    return new RuleManagerOptions(appendable, queryable, queryFunction, sender, outageToleranceMs,
        forGracePeriodMs, resendDelayMs, defaultRuleQueryOffsetMs, metrics, clock,
        evaluationThreads, n);
  }
}
