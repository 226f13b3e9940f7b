package dev.tsdb.rules.notifier;

import dev.tsdb.index.labels.Labels;
import java.util.Map;

/**
 * An alert as sent to Alertmanager (Prometheus's notifier.Alert): labels (after external labels
 * and relabelling), annotations, and the validity interval. Times are epoch milliseconds.
 *
 * @param endsAtMs resolution time for resolved alerts, else the time until which the alert is
 *     considered firing without a re-send
 */
public record NotifierAlert(Labels labels, Map<String, String> annotations, long startsAtMs,
    long endsAtMs, String generatorUrl) {
  public NotifierAlert {
    annotations = Map.copyOf(annotations);
  }

  public String name() {
    return labels.get("alertname");
  }

  public NotifierAlert withLabels(Labels l) {
    return new NotifierAlert(l, annotations, startsAtMs, endsAtMs, generatorUrl);
  }

  /** Resolved as of {@code nowMs}: endsAt is set and not in the future. */
  public boolean resolvedAt(long nowMs) {
    return endsAtMs != 0 && endsAtMs <= nowMs;
  }
}
