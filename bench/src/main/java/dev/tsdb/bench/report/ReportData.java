package dev.tsdb.bench.report;

import dev.tsdb.bench.run.MemoryReading;
import dev.tsdb.bench.run.Measurement;
import dev.tsdb.bench.run.QueryRunner;
import dev.tsdb.bench.run.RestartRun;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The raw figures of every repetition as plain maps and lists, for the JSON output. */
final class ReportData {
  private ReportData() {}

  /** Server name to one object per repetition. */
  static Map<String, Object> of(Map<String, List<Measurement>> runs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<Measurement>> e : runs.entrySet()) {
      List<Map<String, Object>> reps = new ArrayList<>();
      for (Measurement m : e.getValue()) {
        reps.add(repetition(m));
      }
      out.put(e.getKey(), reps);
    }
    return out;
  }

  private static Map<String, Object> repetition(Measurement m) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("command", m.command());
    r.put("storage", m.storageKind());
    r.put("startToReadySeconds", m.startToReadyNanos() / 1e9);
    r.put("samplesAccepted", m.ingest().acceptedSamples());
    r.put("failedRequests", m.ingest().failedRequests());
    r.put("samplesPerSecond", m.ingest().samplesPerSecond());
    r.put("cpuSecondsPerMillionSamples", m.cpuSecondsPerMillionSamples());
    r.put("rssEmptyBytes", m.empty().rssBytes());
    r.put("rssSettledBytes", m.settled().rssBytes());
    r.put("hwmBytes", m.settled().hwmBytes());
    r.put("afterBurst", afterBurst(m.afterBurst()));
    r.put("rssAfterFullGcBytes", m.rssAfterFullGc());
    r.put("rssBytesPerSeries", m.rssBytesPerSeries());
    r.put("walBytes", m.walBytes());
    r.put("chunksHeadBytes", m.chunksHeadBytes());
    r.put("dataDirBytes", m.dataDirBytes());
    if (m.snapshot() != null) {
      r.put("snapshot", m.snapshot());
    }
    r.put("queries", queries(m.queries()));
    r.put("firstQueries", queries(m.firstQueries()));
    r.put("firstQueriesGeomeanMs", nullIfNaN(Report.geomeanMs(m.firstQueries())));
    r.put("queriesGeomeanMs", nullIfNaN(Report.geomeanMs(m.queries())));
    if (m.restart() != null) {
      r.put("restart", restart(m.restart()));
    }
    return r;
  }

  private static List<Map<String, Object>> afterBurst(List<MemoryReading> readings) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (MemoryReading reading : readings) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("secondsAfterBurst", reading.secondsAfterBurst());
      o.put("rssBytes", reading.stats().rssBytes());
      o.put("heapUsedBytes", reading.heap() == null ? null : reading.heap().usedBytes());
      o.put("heapCommittedBytes", reading.heap() == null ? null
          : reading.heap().committedBytes());
      out.add(o);
    }
    return out;
  }

  private static Map<String, Object> restart(RestartRun.Result x) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("walBytes", x.walBytes());
    o.put("chunksHeadBytes", x.chunksHeadBytes());
    o.put("blockBytes", x.blockBytes());
    o.put("readyAfterKillSeconds", x.readyAfterKillNanos() / 1e9);
    o.put("rssAfterKillRestartBytes", x.rssAfterKillRestart().rssBytes());
    o.put("replayAfterKill", x.replayAfterKill());
    o.put("firstQueriesAfterKill", queries(x.firstQueriesAfterKill()));
    o.put("firstQueriesAfterKillGeomeanMs", nullIfNaN(Report.geomeanMs(
        x.firstQueriesAfterKill())));
    o.put("stopSeconds", x.stopNanos() / 1e9);
    o.put("dataDirAfterStopBytes", x.dataDirAfterStopBytes());
    o.put("readyAfterStopSeconds", x.readyAfterStopNanos() / 1e9);
    o.put("replayAfterStop", x.replayAfterStop());
    return o;
  }

  private static List<Map<String, Object>> queries(List<QueryRunner.Timing> timings) {
    List<Map<String, Object>> qs = new ArrayList<>();
    for (QueryRunner.Timing t : timings) {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("name", t.query().name());
      q.put("medianMs", t.medianMs());
      q.put("p90Ms", t.p90Ms());
      q.put("runsMs", t.runsMs());
      q.put("error", t.error());
      qs.add(q);
    }
    return qs;
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
