package dev.tsdb.rules.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Registers the rules' and notifier's meters so that the Prometheus registry renders them under
 * Prometheus's own names: names are given whole ({@code ..._total} for counters, the unit in the
 * name) and no base unit is set, so nothing is appended; durations are summaries in seconds with
 * Prometheus's quantiles and window (10 minutes in 5 buckets).
 */
public final class Meters {
  private Meters() {}

  public static Counter counter(MeterRegistry r, String name, String help, Tags tags) {
    return Counter.builder(name).description(help).tags(tags).register(r);
  }

  /** A gauge reading {@code cell}, kept alive by the registry. */
  public static Gauge gauge(MeterRegistry r, String name, String help, Tags tags,
      GaugeCell cell) {
    return Gauge.builder(name, cell, GaugeCell::get).description(help).tags(tags)
        .strongReference(true).register(r);
  }

  /** A gauge computed at scrape time. */
  public static Gauge gauge(MeterRegistry r, String name, String help, Tags tags,
      DoubleSupplier value) {
    return Gauge.builder(name, value::getAsDouble).description(help).tags(tags)
        .strongReference(true).register(r);
  }

  /** A summary with the 0.5, 0.9 and 0.99 quantiles, as Prometheus's duration summaries. */
  public static DistributionSummary summary(MeterRegistry r, String name, String help,
      Tags tags) {
    return DistributionSummary.builder(name).description(help).tags(tags)
        .publishPercentiles(0.5, 0.9, 0.99)
        .distributionStatisticExpiry(Duration.ofMinutes(10))
        .distributionStatisticBufferLength(5)
        .register(r);
  }
}
