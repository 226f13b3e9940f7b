package dev.tsdb.rules.notifier;

import java.util.List;

/**
 * The data of /api/v1/alertmanagers: {@code {"activeAlertmanagers": [{"url": ...}],
 * "droppedAlertmanagers": [...]}}; URLs are the alerts endpoints
 * (e.g. {@code http://127.0.0.1:9093/api/v2/alerts}).
 */
public record AlertmanagersSnapshot(List<AlertmanagerUrl> activeAlertmanagers,
    List<AlertmanagerUrl> droppedAlertmanagers) {
  public record AlertmanagerUrl(String url) {}
}
