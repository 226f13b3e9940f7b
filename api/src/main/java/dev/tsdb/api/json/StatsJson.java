package dev.tsdb.api.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.promql.QueryStats;
import java.io.IOException;

/**
 * A query's {@code data.stats} as Prometheus 3.5 writes it for a non-empty {@code stats}
 * parameter: {@code timings} (seconds, written as Prometheus writes floats: "7.92e-07") then
 * {@code samples}. The per-step sample counts need Prometheus's promql-per-step-stats feature,
 * which this server does not have, so they are never written (Prometheus omits them then).
 */
public final class StatsJson {
  private StatsJson() {
  }

  public static void write(JsonGenerator g, QueryStats stats) throws IOException {
    QueryStats.Timings t = stats.timings();
    g.writeObjectFieldStart("timings");
    seconds(g, "evalTotalTime", t.evalTotalTime());
    seconds(g, "resultSortTime", t.resultSortTime());
    seconds(g, "queryPreparationTime", t.queryPreparationTime());
    seconds(g, "innerEvalTime", t.innerEvalTime());
    seconds(g, "execQueueTime", t.execQueueTime());
    seconds(g, "execTotalTime", t.execTotalTime());
    g.writeEndObject();
    g.writeObjectFieldStart("samples");
    g.writeNumberField("totalQueryableSamples", stats.totalQueryableSamples());
    g.writeNumberField("peakSamples", stats.peakSamples());
    g.writeEndObject();
  }

  private static void seconds(JsonGenerator g, String name, double v) throws IOException {
    g.writeFieldName(name);
    g.writeNumber(GoFloat.formatPrometheusJson(v));
  }
}
