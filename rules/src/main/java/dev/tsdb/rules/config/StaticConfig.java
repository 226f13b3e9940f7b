package dev.tsdb.rules.config;

import java.util.List;
import java.util.Map;

/** {@code static_configs} entry: target addresses plus labels shared by them. */
public record StaticConfig(List<String> targets, Map<String, String> labels) {
  public StaticConfig {
    targets = List.copyOf(targets);
    labels = Map.copyOf(labels);
  }
}
