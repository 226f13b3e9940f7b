package dev.tsdb.promql.value;

import java.util.List;

/** An instant vector; order is the engine's output order (sorted where Prometheus sorts). */
public record Vector(List<Sample> samples) implements Value {
  @Override
  public String resultType() {
    return "vector";
  }
}
