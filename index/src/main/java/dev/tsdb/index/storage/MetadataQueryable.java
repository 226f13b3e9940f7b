package dev.tsdb.index.storage;

import java.util.List;
import java.util.Map;

/**
 * Storage that keeps metric-family metadata (type, help, unit) recorded through
 * {@link Appender#updateMetadata}, for /api/v1/metadata.
 */
public interface MetadataQueryable {
  /**
   * Metadata by metric family name (names sorted), the distinct entries of each family.
   *
   * @param metric only this family, or null/empty for all
   * @param limit at most this many families (0 or less: no limit)
   * @param limitPerMetric at most this many entries per family (0 or less: no limit)
   */
  Map<String, List<MetricMetadata>> metricMetadata(String metric, int limit, int limitPerMetric);
}
