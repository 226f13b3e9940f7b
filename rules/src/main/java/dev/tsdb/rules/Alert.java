package dev.tsdb.rules;

import dev.tsdb.index.labels.Labels;
import java.util.Map;

/**
 * One alert instance of an alerting rule (mutable; owned by its rule and guarded by the rule's
 * lock). Times are epoch milliseconds of evaluation timestamps; {@link #UNSET} means "zero
 * time" in Prometheus's terms.
 */
final class Alert {
  static final long UNSET = Long.MIN_VALUE;

  AlertState state;
  final Labels labels;
  Map<String, String> annotations;
  double value;
  long activeAtMs;
  long firedAtMs = UNSET;
  long resolvedAtMs = UNSET;
  long lastSentAtMs = UNSET;
  long validUntilMs = UNSET;
  long keepFiringSinceMs = UNSET;

  Alert(Labels labels, Map<String, String> annotations, long activeAtMs, double value) {
    this.state = AlertState.PENDING;
    this.labels = labels;
    this.annotations = annotations;
    this.activeAtMs = activeAtMs;
    this.value = value;
  }

  Alert copy() {
    Alert a = new Alert(labels, annotations, activeAtMs, value);
    a.state = state;
    a.firedAtMs = firedAtMs;
    a.resolvedAtMs = resolvedAtMs;
    a.lastSentAtMs = lastSentAtMs;
    a.validUntilMs = validUntilMs;
    a.keepFiringSinceMs = keepFiringSinceMs;
    return a;
  }

  /** Prometheus's needsSending: firing or resolved alerts, at most once per resend delay. */
  boolean needsSending(long tsMs, long resendDelayMs) {
    if (state == AlertState.PENDING) {
      return false;
    }
    if (resolvedAtMs != UNSET && (lastSentAtMs == UNSET || resolvedAtMs > lastSentAtMs)) {
      return true;
    }
    return lastSentAtMs == UNSET || lastSentAtMs + resendDelayMs < tsMs;
  }
}
