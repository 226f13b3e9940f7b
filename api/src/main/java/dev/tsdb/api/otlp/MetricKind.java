package dev.tsdb.api.otlp;

/** The OTLP metric shapes, as far as naming and metadata tell them apart. */
enum MetricKind {
  GAUGE("gauge"),
  MONOTONIC_COUNTER("counter"),
  /** A non-monotonic sum: an up-down counter, stored as a gauge. */
  NON_MONOTONIC_COUNTER("gauge"),
  HISTOGRAM("histogram"),
  EXPONENTIAL_HISTOGRAM("histogram"),
  SUMMARY("summary");

  /** The Prometheus metadata type of a cumulative metric of this kind. */
  final String promType;

  MetricKind(String promType) {
    this.promType = promType;
  }
}
