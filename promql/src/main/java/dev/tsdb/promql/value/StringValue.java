package dev.tsdb.promql.value;

public record StringValue(long timestampMs, String value) implements Value {
  @Override
  public String resultType() {
    return "string";
  }
}
