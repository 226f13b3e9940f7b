package dev.tsdb.api.remote;

import dev.tsdb.index.storage.MetricMetadata;

/**
 * Hands out one {@link MetricMetadata} per distinct (type, help, unit): remote write 2.0 repeats
 * every series' metadata in every request, and this keeps a steady stream from allocating a
 * record per series each time. Direct-mapped; a miss replaces the slot. Not thread-safe.
 */
final class MetadataInterner {
  private final MetricMetadata[] slots = new MetricMetadata[1024];

  MetricMetadata get(String type, String help, String unit) {
    int h = (type.hashCode() * 31 + help.hashCode()) * 31 + unit.hashCode();
    int slot = (h ^ (h >>> 16)) & (slots.length - 1);
    MetricMetadata md = slots[slot];
    if (md != null && md.type().equals(type) && md.help().equals(help)
        && md.unit().equals(unit)) {
      return md;
    }
    md = new MetricMetadata(type, help, unit);
    slots[slot] = md;
    return md;
  }
}
