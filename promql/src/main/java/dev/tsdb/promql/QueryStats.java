package dev.tsdb.promql;

/**
 * What one query cost, as Prometheus's {@code stats} parameter reports it: phase timings in
 * seconds and the samples read from storage ({@code totalQueryableSamples}) and held at once
 * at the peak ({@code peakSamples}, what {@code --query.max-samples} limits).
 */
public record QueryStats(Timings timings, long totalQueryableSamples, long peakSamples) {
  /** Prometheus's query timers, in seconds; the names are its JSON keys. */
  public record Timings(double evalTotalTime, double resultSortTime, double queryPreparationTime,
      double innerEvalTime, double execQueueTime, double execTotalTime) {
  }

  /** For results made without the engine (nothing measured). */
  public static final QueryStats NONE = new QueryStats(new Timings(0, 0, 0, 0, 0, 0), 0, 0);
}
