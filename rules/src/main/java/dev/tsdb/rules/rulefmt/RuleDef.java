package dev.tsdb.rules.rulefmt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rule as written in a rule file. Exactly one of {@code record} and {@code alert} is
 * non-empty after validation. Durations are milliseconds (0 = unset).
 *
 * @param labels labels in file order
 * @param annotations annotations in file order (alerting rules only)
 * @param line 1-based line of the rule's mapping in the file
 */
public record RuleDef(String record, String alert, String expr, long forMs, long keepFiringForMs,
    Map<String, String> labels, Map<String, String> annotations, int line) {
  public RuleDef {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }

  public boolean isAlerting() {
    return !alert.isEmpty();
  }

  /** The rule's name: the alert name or the recorded metric name. */
  public String name() {
    return isAlerting() ? alert : record;
  }
}
