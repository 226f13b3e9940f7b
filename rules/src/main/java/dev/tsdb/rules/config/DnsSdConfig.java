package dev.tsdb.rules.config;

import java.util.List;

/**
 * One {@code dns_sd_configs} entry: targets from DNS records.
 *
 * @param names the names looked up
 * @param type SRV (default), A, AAAA, MX or NS, as written
 * @param port the port of A/AAAA/MX/NS targets (SRV records carry theirs)
 * @param refreshIntervalMs how often the names are looked up again (default 30s)
 */
public record DnsSdConfig(List<String> names, String type, int port, long refreshIntervalMs) {
  public static final long DEFAULT_REFRESH_MS = 30_000L;

  public DnsSdConfig {
    names = List.copyOf(names);
  }
}
