package dev.tsdb.rules.notifier.discovery;

import java.util.List;
import java.util.Map;

/**
 * Where an Alertmanager set finds some of its targets. Each target is a label set holding at
 * least {@code __address__}, plus its group's labels and the mechanism's {@code __meta_*} labels.
 */
public interface TargetSource {
  /** Finds the targets now; on failure keeps (and returns) what was found before. */
  List<Map<String, String>> refresh();

  /** How often {@link #refresh} is due without a change being noticed. */
  long refreshIntervalMs();

  /** Whether a cheap check sees a change that warrants a refresh before the interval is up. */
  default boolean changed() {
    return false;
  }
}
