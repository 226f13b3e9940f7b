package dev.tsdb.rules.notifier;

import java.util.List;

/** Accepts alerts for delivery to Alertmanager (implemented by {@link NotifierManager}). */
@FunctionalInterface
public interface AlertSender {
  void send(List<NotifierAlert> alerts);
}
