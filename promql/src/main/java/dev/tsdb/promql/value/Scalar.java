package dev.tsdb.promql.value;

public record Scalar(long timestampMs, double value) implements Value {
  @Override
  public String resultType() {
    return "scalar";
  }
}
