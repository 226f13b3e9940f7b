package dev.tsdb.head;

import dev.tsdb.index.storage.MetricMetadata;

/**
 * Metadata of one series: its metric family and the family's type, help and unit. Interned by
 * {@link HeadMetadata}, so series of a family share one instance.
 */
record SeriesMeta(String family, MetricMetadata metadata) {}
