package dev.tsdb.index.storage;

/** Metric-family metadata as sent by remote write; type is lower-case ("counter", "gauge"...). */
public record MetricMetadata(String type, String help, String unit) {}
