package dev.tsdb.bench.gen;

import java.util.ArrayList;
import java.util.List;

/**
 * The series one simulated scrape target exposes: a trimmed node-exporter plus an instrumented
 * HTTP handler, ~178 series over ~106 metric names. The mix matters for the benchmark: label
 * counts and value kinds decide how well both servers compress, and the query set relies on the
 * shares below (node_cpu_seconds_total is ~11% of all series, i.e. ~11k of 100k).
 */
public final class TargetTemplate {
  /** Histogram bucket bounds of http_request_duration_seconds. */
  static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
      "5", "+Inf"};
  static final String[] HANDLERS = {"/api/v1/query", "/api/v1/write"};
  static final String[] CPU_MODES = {"idle", "iowait", "irq", "system", "user"};
  static final String[] NET_DEVICES = {"eth0", "eth1", "lo"};

  private static final String[] MEMORY_FIELDS = {"Active", "Active_anon",
      "Active_file", "AnonHugePages", "AnonPages", "Bounce", "Buffers", "Cached", "CommitLimit",
      "Committed_AS",
      "Dirty", "Inactive", "Inactive_anon", "Inactive_file", "KernelStack", "Mapped",
      "MemAvailable", "MemFree", "MemTotal", "Mlocked", "NFS_Unstable", "PageTables", "Percpu",
      "SReclaimable", "SUnreclaim", "Shmem", "Slab", "SwapCached", "SwapFree", "SwapTotal"};
  private static final String[] VMSTAT_FIELDS = {"oom_kill", "pgfault", "pgmajfault", "pgpgin",
      "pgpgout", "pswpin", "pswpout", "nr_dirtied", "nr_written", "pgsteal_kswapd",
      "pgsteal_direct", "pgscan_kswapd", "pgscan_direct", "allocstall_normal",
      "workingset_refault"};

  private static final List<SeriesTemplate> SERIES = build();

  private TargetTemplate() {}

  /** The series of one target, in a fixed order. */
  public static List<SeriesTemplate> series() {
    return SERIES;
  }

  private static List<SeriesTemplate> build() {
    List<SeriesTemplate> out = new ArrayList<>();
    for (int cpu = 0; cpu < 4; cpu++) {
      for (String mode : CPU_MODES) {
        add(out, "node_cpu_seconds_total", MetricKind.COUNTER, "cpu", String.valueOf(cpu),
            "mode", mode);
      }
    }
    for (int h = 0; h < HANDLERS.length; h++) {
      for (int i = 0; i < LE.length; i++) {
        // Cumulative share of requests at or below le: grows towards 1 at +Inf.
        double fraction = i == LE.length - 1 ? 1.0 : 1.0 - Math.exp(-0.45 * (i + 1) - 0.2 * h);
        out.add(new SeriesTemplate("http_request_duration_seconds_bucket",
            new String[] {"handler", HANDLERS[h], "le", LE[i]}, MetricKind.BUCKET, fraction, h));
      }
      out.add(new SeriesTemplate("http_request_duration_seconds_sum",
          new String[] {"handler", HANDLERS[h]}, MetricKind.HIST_SUM, 0, h));
      out.add(new SeriesTemplate("http_request_duration_seconds_count",
          new String[] {"handler", HANDLERS[h]}, MetricKind.HIST_COUNT, 0, h));
      for (String code : new String[] {"200", "500"}) {
        add(out, "http_requests_total", MetricKind.COUNTER, "code", code, "handler", HANDLERS[h]);
      }
    }
    for (String dir : new String[] {"receive", "transmit"}) {
      for (String what : new String[] {"bytes", "packets", "errs"}) {
        for (String dev : NET_DEVICES) {
          add(out, "node_network_" + dir + "_" + what + "_total", MetricKind.COUNTER,
              "device", dev);
        }
      }
    }
    String[][] mounts = {{"/dev/vda1", "ext4", "/"}, {"/dev/vdb1", "xfs", "/var"},
        {"tmpfs", "tmpfs", "/run"}};
    for (String[] m : mounts) {
      add(out, "node_filesystem_avail_bytes", MetricKind.GAUGE_BYTES, "device", m[0], "fstype",
          m[1], "mountpoint", m[2]);
      add(out, "node_filesystem_free_bytes", MetricKind.GAUGE_BYTES, "device", m[0], "fstype",
          m[1], "mountpoint", m[2]);
      add(out, "node_filesystem_size_bytes", MetricKind.CONSTANT, "device", m[0], "fstype",
          m[1], "mountpoint", m[2]);
      add(out, "node_filesystem_files", MetricKind.CONSTANT, "device", m[0], "fstype", m[1],
          "mountpoint", m[2]);
      add(out, "node_filesystem_files_free", MetricKind.GAUGE_BYTES, "device", m[0], "fstype",
          m[1], "mountpoint", m[2]);
    }
    for (String dev : new String[] {"sda", "sdb"}) {
      for (String n : new String[] {"read_bytes_total", "written_bytes_total",
          "io_time_seconds_total", "reads_completed_total", "writes_completed_total"}) {
        add(out, "node_disk_" + n, MetricKind.COUNTER, "device", dev);
      }
    }
    for (String f : MEMORY_FIELDS) {
      boolean fixed = f.equals("MemTotal") || f.equals("SwapTotal") || f.equals("CommitLimit")
          || f.equals("Bounce") || f.equals("NFS_Unstable");
      add(out, "node_memory_" + f + "_bytes", fixed ? MetricKind.CONSTANT : MetricKind.GAUGE_BYTES);
    }
    for (String l : new String[] {"node_load1", "node_load5", "node_load15"}) {
      add(out, l, MetricKind.GAUGE_FRACTION);
    }
    for (String f : VMSTAT_FIELDS) {
      add(out, "node_vmstat_" + f, MetricKind.COUNTER);
    }
    String[][] runtime = {{"go_goroutines", "B"}, {"go_threads", "C"},
        {"go_memstats_alloc_bytes", "B"}, {"go_memstats_alloc_bytes_total", "N"},
        {"go_memstats_heap_inuse_bytes", "B"}, {"go_memstats_heap_idle_bytes", "B"},
        {"go_memstats_heap_objects", "B"}, {"go_memstats_mallocs_total", "N"},
        {"go_memstats_frees_total", "N"}, {"go_memstats_sys_bytes", "B"},
        {"go_memstats_last_gc_time_seconds", "F"}, {"go_gc_duration_seconds_sum", "N"},
        {"go_gc_duration_seconds_count", "N"}, {"process_cpu_seconds_total", "N"},
        {"process_resident_memory_bytes", "B"}, {"process_virtual_memory_bytes", "B"},
        {"process_open_fds", "B"}, {"process_max_fds", "C"},
        {"process_start_time_seconds", "C"}, {"promhttp_metric_handler_requests_total", "N"}};
    for (String[] r : runtime) {
      add(out, r[0], kind(r[1]));
    }
    String[][] scrape = {{"up", "C"}, {"scrape_duration_seconds", "F"},
        {"scrape_samples_scraped", "C"}, {"scrape_samples_post_metric_relabeling", "C"},
        {"scrape_series_added", "C"}};
    for (String[] r : scrape) {
      add(out, r[0], kind(r[1]));
    }
    String[][] misc = {{"node_context_switches_total", "N"}, {"node_intr_total", "N"},
        {"node_forks_total", "N"}, {"node_procs_running", "B"}, {"node_procs_blocked", "B"},
        {"node_boot_time_seconds", "C"}, {"node_time_seconds", "F"},
        {"node_entropy_available_bits", "B"}, {"node_sockstat_TCP_inuse", "B"},
        {"node_netstat_Tcp_CurrEstab", "B"}, {"node_timex_offset_seconds", "F"},
        {"node_nf_conntrack_entries", "B"}};
    for (String[] r : misc) {
      add(out, r[0], kind(r[1]));
    }
    return List.copyOf(out);
  }

  private static MetricKind kind(String code) {
    switch (code) {
      case "N": return MetricKind.COUNTER;
      case "B": return MetricKind.GAUGE_BYTES;
      case "F": return MetricKind.GAUGE_FLOAT;
      case "C": return MetricKind.CONSTANT;
      default: throw new IllegalArgumentException(code);
    }
  }

  private static void add(List<SeriesTemplate> out, String name, MetricKind kind,
      String... extraLabels) {
    out.add(new SeriesTemplate(name, extraLabels, kind, 0, 0));
  }
}
