package dev.tsdb.promql.ast;

/** Aggregation operators; those with a parameter take it as the first argument. */
public enum AggregateOp {
  SUM("sum", false), AVG("avg", false), COUNT("count", false), MIN("min", false),
  MAX("max", false), GROUP("group", false), STDDEV("stddev", false), STDVAR("stdvar", false),
  TOPK("topk", true), BOTTOMK("bottomk", true), COUNT_VALUES("count_values", true),
  QUANTILE("quantile", true), LIMITK("limitk", true), LIMIT_RATIO("limit_ratio", true);

  private final String keyword;
  private final boolean hasParam;

  AggregateOp(String keyword, boolean hasParam) {
    this.keyword = keyword;
    this.hasParam = hasParam;
  }

  public String keyword() {
    return keyword;
  }

  public boolean hasParam() {
    return hasParam;
  }

  /** The operator for a keyword, or null. */
  public static AggregateOp fromKeyword(String s) {
    for (AggregateOp op : values()) {
      if (op.keyword.equals(s)) {
        return op;
      }
    }
    return null;
  }
}
