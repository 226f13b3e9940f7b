package dev.tsdb.promql.ast;

import java.util.List;

/**
 * How two vectors are matched: cardinality, the {@code on}/{@code ignoring} labels ({@code on}
 * tells which) and the {@code group_left}/{@code group_right} include labels.
 * {@code fillLeft}/{@code fillRight} are the experimental {@code fill()} modifiers' values for
 * a missing left/right side, or null when not given.
 */
public record VectorMatching(Cardinality card, List<String> matchingLabels, boolean on,
    List<String> include, Double fillLeft, Double fillRight) {
  public VectorMatching(Cardinality card, List<String> matchingLabels, boolean on,
      List<String> include) {
    this(card, matchingLabels, on, include, null, null);
  }

  public enum Cardinality {
    ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY
  }

  public VectorMatching {
    matchingLabels = List.copyOf(matchingLabels);
    include = List.copyOf(include);
  }
}
