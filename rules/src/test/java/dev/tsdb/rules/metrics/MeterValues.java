package dev.tsdb.rules.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;

/** Reads one series from a registry in tests: a counter's count or a gauge's value. */
public final class MeterValues {
  private MeterValues() {}

  /** The value of the meter {@code name} with exactly these labels; NaN when there is none. */
  public static double value(MeterRegistry r, String name, Map<String, String> labels) {
    for (Meter m : r.find(name).meters()) {
      if (m.getId().getTags().size() != labels.size()) {
        continue;
      }
      boolean match = labels.entrySet().stream()
          .allMatch(l -> l.getValue().equals(m.getId().getTag(l.getKey())));
      if (!match) {
        continue;
      }
      if (m instanceof Counter c) {
        return c.count();
      }
      if (m instanceof Gauge g) {
        return g.value();
      }
    }
    return Double.NaN;
  }
}
