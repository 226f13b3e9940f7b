package dev.tsdb.promql.value;

import java.util.List;

/** A range vector (matrix): series sorted by labels, as Prometheus returns them. */
public record Matrix(List<SeriesPoints> series) implements Value {
  @Override
  public String resultType() {
    return "matrix";
  }
}
