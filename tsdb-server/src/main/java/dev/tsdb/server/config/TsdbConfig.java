package dev.tsdb.server.config;

import java.util.List;
import java.util.Map;

/**
 * The parts of prometheus.yml this server uses, plus the raw document (for
 * /api/v1/status/config) and the top-level sections it ignored.
 */
public record TsdbConfig(Global global, Map<String, Object> raw, List<String> ignoredSections,
    String yaml) {

  /** The global section: intervals in milliseconds, external labels. */
  public record Global(long scrapeIntervalMs, long scrapeTimeoutMs, long evaluationIntervalMs,
      Map<String, String> externalLabels) {
    public static final Global DEFAULT = new Global(60_000, 10_000, 60_000, Map.of());
  }

  public static TsdbConfig empty() {
    return new TsdbConfig(Global.DEFAULT, Map.of(), List.of(), ConfigLoader.render(Global.DEFAULT,
        Map.of()));
  }
}
