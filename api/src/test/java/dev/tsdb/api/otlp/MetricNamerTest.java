package dev.tsdb.api.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Names as Prometheus 3.5's OTLP receiver builds them (cases after otlptranslator's tests). */
class MetricNamerTest {
  private static final MetricNamer ESCAPED = new MetricNamer(true, true);

  private static String name(String name, String unit, MetricKind kind) {
    return ESCAPED.build(name, unit, kind);
  }

  @Test
  void unitsBecomeWords() {
    assertEquals("system_filesystem_usage_bytes",
        name("system.filesystem.usage", "By", MetricKind.GAUGE));
    assertEquals("system_filesystem_usage_bytes",
        name("\t system.filesystem.usage       ", "  By\t", MetricKind.GAUGE));
    assertEquals("hw_cpu_speed_limit_hertz", name("hw.cpu.speed_limit", "Hz", MetricKind.GAUGE));
    assertEquals("redis_latest_fork_microseconds", name("redis.latest_fork", "us",
        MetricKind.GAUGE));
    assertEquals("nsxt_node_memory_usage_kilobytes", name("nsxt.node.memory.usage", "KBy",
        MetricKind.GAUGE));
    assertEquals("mongodbatlas_process_journaling_data_files_mebibytes",
        name("mongodbatlas.process.journaling.data_files", "MiBy", MetricKind.GAUGE));
  }

  @Test
  void countersEndInTotalOnce() {
    assertEquals("system_io_bytes_total", name("system.io", "By", MetricKind.MONOTONIC_COUNTER));
    assertEquals("network_transmitted_bytes_total",
        name("network_transmitted_bytes_total", "By", MetricKind.MONOTONIC_COUNTER));
    assertEquals("system_disk_operation_time_seconds_total",
        name("system.disk.operation_time", "s", MetricKind.MONOTONIC_COUNTER));
    // An up-down counter is no counter.
    assertEquals("queue_size", name("queue.size", "", MetricKind.NON_MONOTONIC_COUNTER));
  }

  @Test
  void annotationsAreNotUnits() {
    assertEquals("system_network_dropped", name("system.network.dropped", "{packets}",
        MetricKind.GAUGE));
    assertEquals("system_network_dropped_total", name("system.network.dropped", "{packets}",
        MetricKind.MONOTONIC_COUNTER));
    assertEquals("system_network_dropped_nonstandard:_1", name("system.network.dropped",
        "nonstandard:_1", MetricKind.GAUGE));
    assertEquals("mongodbatlas_process_db_query_targeting_scanned_per_returned",
        name("mongodbatlas.process.db.query_targeting.scanned_per_returned",
            "{scanned}/{returned}", MetricKind.GAUGE));
  }

  @Test
  void unitAlreadyInTheNameIsNotRepeated() {
    assertEquals("system_network_dropped_packets", name("system.network.dropped", "packets",
        MetricKind.GAUGE));
    assertEquals("system_network_packets_dropped", name("system.network.packets.dropped",
        "packets", MetricKind.GAUGE));
    assertEquals("system_network_packets_total", name("system.network.packets", "packets",
        MetricKind.MONOTONIC_COUNTER));
    assertEquals("apache_workers_connections", name("apache.workers", "connections",
        MetricKind.GAUGE));
  }

  @Test
  void ratiosAndPercent() {
    assertEquals("hw_gpu_memory_utilization_ratio", name("hw.gpu.memory.utilization", "1",
        MetricKind.GAUGE));
    assertEquals("hw_fan_speed_ratio", name("hw.fan.speed_ratio", "1", MetricKind.GAUGE));
    assertEquals("objects_total", name("objects", "1", MetricKind.MONOTONIC_COUNTER));
    assertEquals("system_cpu_load_average_15m_ratio", name("system.cpu.load_average.15m", "1",
        MetricKind.GAUGE));
    assertEquals("broken_metric_success_ratio_percent", name("broken.metric.success_ratio", "%",
        MetricKind.GAUGE));
    assertEquals("broken_metric_success_percent", name("broken.metric.success_percent", "%",
        MetricKind.GAUGE));
  }

  @Test
  void perUnits() {
    assertEquals("broken_metric_speed_km_per_hour", name("broken.metric.speed", "km/h",
        MetricKind.GAUGE));
    assertEquals("astro_light_speed_limit_meters_per_second", name("astro.light.speed_limit",
        "m/s", MetricKind.GAUGE));
    assertEquals("system_network_dropped_non_per_standard:_1", name("system.network.dropped",
        "non/standard:_1", MetricKind.GAUGE));
    assertEquals("broken_metric_speed_km", name("broken.metric.speed", "km/°",
        MetricKind.GAUGE));
    assertEquals("active_directory_ds_replication_object_rate_per_second",
        name("active_directory.ds.replication.object.rate", "{objects}/s", MetricKind.GAUGE));
    assertEquals("mongodbatlas_process_oplog_rate_gibibytes_per_hour",
        name("mongodbatlas.process.oplog.rate", "GiBy/h", MetricKind.GAUGE));
  }

  @Test
  void emptyUnitsAndLeadingDigits() {
    assertEquals("test_metric_no_unit", name("test.metric.no_unit", "", MetricKind.GAUGE));
    assertEquals("test_metric_spaces", name("test.metric.spaces", "   \t  ", MetricKind.GAUGE));
    assertEquals("_3xx_requests_total", name("3xx.requests", "", MetricKind.MONOTONIC_COUNTER));
  }

  @Test
  void strategies() {
    MetricNamer escapedNoSuffixes = new MetricNamer(true, false);
    assertEquals("http_server_duration", escapedNoSuffixes.build("http.server.duration", "s",
        MetricKind.HISTOGRAM));
    assertEquals("foo_bar__baz", escapedNoSuffixes.build("foo.bar__baz", "",
        MetricKind.GAUGE));
    MetricNamer utf8 = new MetricNamer(false, true);
    assertEquals("http.server.duration_seconds", utf8.build("http.server.duration", "s",
        MetricKind.HISTOGRAM));
    assertEquals("requests_total", utf8.build("requests", "1", MetricKind.MONOTONIC_COUNTER));
    assertEquals("cpu.util_ratio", utf8.build("cpu.util", "1", MetricKind.GAUGE));
    assertEquals("io_bytes_per_second", utf8.build("io", "By/s", MetricKind.GAUGE));
    MetricNamer none = new MetricNamer(false, false);
    assertEquals("http.server.duration", none.build("http.server.duration", "s",
        MetricKind.HISTOGRAM));
  }

  @Test
  void labelNames() {
    assertEquals("", LabelNamer.escape(""));
    assertEquals("label_with_colons", LabelNamer.escape("label:with:colons"));
    assertEquals("LabelWithCapitalLetters", LabelNamer.escape("LabelWithCapitalLetters"));
    assertEquals("label_with_special_chars_", LabelNamer.escape("label!with&special$chars)"));
    assertEquals("label_with_foreign_characters___",
        LabelNamer.escape("label_with_foreign_characters_字符"));
    assertEquals("label_with_dots", LabelNamer.escape("label.with.dots"));
    assertEquals("key_123label", LabelNamer.escape("123label"));
    assertEquals("key_label_starting_with_underscore",
        LabelNamer.escape("_label_starting_with_underscore"));
    assertEquals("__label_starting_with_2underscores",
        LabelNamer.escape("__label_starting_with_2underscores"));
  }

  @Test
  void laterLabelOptions() {
    LabelNamer noKeyPrefix = new LabelNamer(false, true);
    assertEquals("_label", noKeyPrefix.build("_label"));
    assertEquals("key_1abc", noKeyPrefix.build("1abc"));
    LabelNamer collapsing = new LabelNamer(true, false);
    assertEquals("a_b", collapsing.build("a..b"));
    assertEquals("a_b", collapsing.build("a__b"));
    assertEquals("__name__", collapsing.build("__name__"));
    assertEquals("__a_b__", collapsing.build("__a..b__"));
  }
}
