package dev.tsdb.promql.ast;

/** How an {@code @} modifier was given: absent, a fixed timestamp, {@code start()} or {@code end()}. */
public enum AtMode {
  NONE, TIMESTAMP, START, END
}
