package dev.tsdb.api.handlers;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.api.StatusSource;
import dev.tsdb.api.TsdbStatusSource;
import dev.tsdb.api.http.ApiRequest;
import dev.tsdb.api.http.ApiResult;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.Storage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * /api/v1/status/{config,flags,runtimeinfo,buildinfo,tsdb,walreplay} plus the endpoints for
 * subsystems this server does not run (targets; alertmanagers, rules and alerts when the web
 * handler has no rule manager, see {@link RulesApi}), which answer empty but well-formed so that
 * UIs and Grafana work.
 */
public final class StatusApi {
  private final StatusSource source;
  private final Storage storage;
  private final LongSupplier clock;
  private final TsdbStatusSource tsdbStatus; // null: computed by scanning the storage

  public StatusApi(StatusSource source, Storage storage, LongSupplier clock) {
    this(source, storage, clock, null);
  }

  public StatusApi(StatusSource source, Storage storage, LongSupplier clock,
      TsdbStatusSource tsdbStatus) {
    this.source = source;
    this.storage = storage;
    this.clock = clock;
    this.tsdbStatus = tsdbStatus;
  }

  public ApiResult config(ApiRequest r) {
    String yaml = source.configYaml();
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeStringField("yaml", yaml);
      g.writeEndObject();
    });
  }

  public ApiResult flags(ApiRequest r) {
    Map<String, String> flags = new java.util.TreeMap<>(source.flags());
    return ApiResult.of(g -> {
      g.writeStartObject();
      for (Map.Entry<String, String> e : flags.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
    });
  }

  public ApiResult buildInfo(ApiRequest r) {
    StatusSource.BuildInfo b = source.buildInfo();
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeStringField("version", b.version());
      g.writeStringField("revision", b.revision());
      g.writeStringField("branch", b.branch());
      g.writeStringField("buildUser", b.buildUser());
      g.writeStringField("buildDate", b.buildDate());
      g.writeStringField("goVersion", b.goVersion());
      g.writeEndObject();
    });
  }

  /** Prometheus's RuntimeInfo; Go runtime fields carry their closest JVM counterparts. */
  public ApiResult runtimeInfo(ApiRequest r) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "";
    }
    String hostname = host;
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeStringField("startTime", Instant.ofEpochMilli(source.startTimeMs()).toString());
      g.writeStringField("CWD", System.getProperty("user.dir"));
      g.writeStringField("hostname", hostname);
      g.writeStringField("serverTime", Instant.ofEpochMilli(clock.getAsLong()).toString());
      g.writeBooleanField("reloadConfigSuccess", source.reloadConfigSuccess());
      g.writeStringField("lastConfigTime",
          Instant.ofEpochMilli(source.lastConfigTimeMs()).toString());
      g.writeNumberField("corruptionCount", 0);
      g.writeNumberField("goroutineCount", ManagementFactory.getThreadMXBean().getThreadCount());
      g.writeNumberField("GOMAXPROCS", Runtime.getRuntime().availableProcessors());
      g.writeNumberField("GOMEMLIMIT", Runtime.getRuntime().maxMemory());
      g.writeStringField("GOGC", "");
      g.writeStringField("GODEBUG", "");
      g.writeStringField("storageRetention", source.storageRetention());
      g.writeEndObject();
    });
  }

  public ApiResult walReplay(ApiRequest r) {
    StatusSource.WalReplay w = source.walReplay();
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeNumberField("min", w.min());
      g.writeNumberField("max", w.max());
      g.writeNumberField("current", w.current());
      g.writeEndObject();
    });
  }

  /**
   * Head cardinality statistics, computed by scanning the series in the storage's time range
   * (the contract has no index statistics yet). limit (default 10) caps each top list.
   */
  public ApiResult tsdb(ApiRequest r) throws IOException {
    int limit = 10;
    String ls = r.param("limit");
    if (!ls.isEmpty()) {
      try {
        limit = RequestParams.atoi(ls);
      } catch (IllegalArgumentException e) {
        limit = -1;
      }
      if (limit < 1) {
        throw dev.tsdb.api.ApiException.badData("limit must be a positive number");
      }
    }
    if (tsdbStatus != null) {
      return tsdbStatus(tsdbStatus.tsdbStatus(limit));
    }
    long minT = storage.minTime();
    long maxT = storage.maxTime();
    Map<String, Long> byMetric = new HashMap<>();
    Map<String, Map<String, Boolean>> valuesByName = new HashMap<>();
    Map<String, Long> bytesByName = new HashMap<>();
    Map<String, Long> byPair = new HashMap<>();
    long numSeries = 0;
    if (minT <= maxT) {
      try (Querier q = storage.querier(minT, maxT)) {
        SeriesSet ss = q.select(false, null, Matcher.re(Labels.METRIC_NAME, ".+"));
        while (ss.next()) {
          Labels l = ss.at().labels();
          numSeries++;
          byMetric.merge(l.metricName(), 1L, Long::sum);
          for (int i = 0; i < l.size(); i++) {
            String n = l.name(i);
            String v = l.value(i);
            Map<String, Boolean> vals = valuesByName.computeIfAbsent(n, k -> new HashMap<>());
            if (vals.put(v, Boolean.TRUE) == null) {
              bytesByName.merge(n, (long) v.length(), Long::sum);
            }
            byPair.merge(n + "=" + v, 1L, Long::sum);
          }
        }
      }
    }
    Map<String, Long> valueCounts = new HashMap<>();
    valuesByName.forEach((k, v) -> valueCounts.put(k, (long) v.size()));
    long pairs = byPair.size();
    long series = numSeries;
    int top = limit;
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeObjectFieldStart("headStats");
      g.writeNumberField("numSeries", series);
      g.writeNumberField("numLabelPairs", pairs);
      g.writeNumberField("chunkCount", 0);
      g.writeNumberField("minTime", minT);
      g.writeNumberField("maxTime", maxT);
      g.writeEndObject();
      writeTop(g, "seriesCountByMetricName", byMetric, top);
      writeTop(g, "labelValueCountByLabelName", valueCounts, top);
      writeTop(g, "memoryInBytesByLabelName", bytesByName, top);
      writeTop(g, "seriesCountByLabelValuePair", byPair, top);
      g.writeEndObject();
    });
  }

  private static ApiResult tsdbStatus(TsdbStatusSource.Status st) {
    return ApiResult.of(g -> {
      TsdbStatusSource.HeadStats h = st.headStats();
      g.writeStartObject();
      g.writeObjectFieldStart("headStats");
      g.writeNumberField("numSeries", h.numSeries());
      g.writeNumberField("numLabelPairs", h.numLabelPairs());
      g.writeNumberField("chunkCount", h.chunkCount());
      g.writeNumberField("minTime", h.minTime());
      g.writeNumberField("maxTime", h.maxTime());
      g.writeEndObject();
      writeStats(g, "seriesCountByMetricName", st.seriesCountByMetricName());
      writeStats(g, "labelValueCountByLabelName", st.labelValueCountByLabelName());
      writeStats(g, "memoryInBytesByLabelName", st.memoryInBytesByLabelName());
      writeStats(g, "seriesCountByLabelValuePair", st.seriesCountByLabelValuePair());
      g.writeEndObject();
    });
  }

  private static void writeStats(JsonGenerator g, String field, List<TsdbStatusSource.Stat> l)
      throws IOException {
    g.writeArrayFieldStart(field);
    for (TsdbStatusSource.Stat s : l) {
      g.writeStartObject();
      g.writeStringField("name", s.name());
      g.writeNumberField("value", s.value());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void writeTop(JsonGenerator g, String field, Map<String, Long> counts, int limit)
      throws IOException {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
        .thenComparing(Map.Entry::getKey));
    g.writeArrayFieldStart(field);
    for (int i = 0; i < entries.size() && i < limit; i++) {
      g.writeStartObject();
      g.writeStringField("name", entries.get(i).getKey());
      g.writeNumberField("value", entries.get(i).getValue());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  public ApiResult targets(ApiRequest r) throws IOException {
    // Prometheus counts dropped targets only when they are asked for: state=active gets null.
    String state = r.param("state");
    boolean countsDropped = state == null || !state.toLowerCase(Locale.ROOT).equals("active");
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("activeTargets");
      g.writeEndArray();
      g.writeArrayFieldStart("droppedTargets");
      g.writeEndArray();
      if (countsDropped) {
        g.writeObjectFieldStart("droppedTargetCounts");
        g.writeEndObject();
      } else {
        g.writeNullField("droppedTargetCounts");
      }
      g.writeEndObject();
    });
  }

  public ApiResult alertmanagers(ApiRequest r) {
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("activeAlertmanagers");
      g.writeEndArray();
      g.writeArrayFieldStart("droppedAlertmanagers");
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  public ApiResult rules(ApiRequest r) {
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("groups");
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  public ApiResult alerts(ApiRequest r) {
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("alerts");
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  public ApiResult emptyList(ApiRequest r) {
    return ApiResult.of(g -> {
      g.writeStartArray();
      g.writeEndArray();
    });
  }

  public ApiResult scrapePools(ApiRequest r) {
    return ApiResult.of(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("scrapePools");
      g.writeEndArray();
      g.writeEndObject();
    });
  }
}
