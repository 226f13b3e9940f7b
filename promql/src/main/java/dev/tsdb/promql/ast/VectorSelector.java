package dev.tsdb.promql.ast;

import dev.tsdb.index.labels.Matcher;
import java.util.List;

/**
 * An instant-vector selector. {@code name} is the metric name if given outside braces (else
 * null); {@code matchers} always include the {@code __name__} matcher when a name was given.
 * {@code offsetMs} may be negative. {@code atMs} is set when {@code atMode} is TIMESTAMP (or after
 * the engine resolved START/END). {@code anchored} and {@code smoothed} are the experimental
 * extended range selector modifiers (at most one is set). {@code offsetExpr} is the
 * experimental duration expression the offset was written as (null for a plain duration); when
 * set, offsetMs is only valid after the engine resolved it.
 */
public record VectorSelector(String name, List<Matcher> matchers, long offsetMs, AtMode atMode,
    long atMs, PosRange pos, boolean anchored, boolean smoothed, DurationExpr offsetExpr)
    implements Expr {
  public VectorSelector {
    matchers = List.copyOf(matchers);
  }

  public VectorSelector(String name, List<Matcher> matchers, long offsetMs, AtMode atMode,
      long atMs, PosRange pos) {
    this(name, matchers, offsetMs, atMode, atMs, pos, false, false, null);
  }

  public VectorSelector(String name, List<Matcher> matchers, long offsetMs, AtMode atMode,
      long atMs, PosRange pos, boolean anchored, boolean smoothed) {
    this(name, matchers, offsetMs, atMode, atMs, pos, anchored, smoothed, null);
  }

  @Override
  public ExprType type() {
    return ExprType.VECTOR;
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitVectorSelector(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}
