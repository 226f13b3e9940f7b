package dev.tsdb.promql.parser;

import dev.tsdb.promql.ast.VectorMatching.Cardinality;
import java.util.List;

/**
 * The modifiers written after a binary operator, as given ({@code bool}, {@code on}/{@code
 * ignoring}, {@code group_left}/{@code group_right}, {@code fill*}). The AST holds the matching
 * as Prometheus leaves it after type checking; the checker needs what was written.
 */
record BinModifiers(boolean returnBool, boolean on, List<String> matchingLabels,
    Cardinality card, List<String> include, Double fillLeft, Double fillRight) {
  static final BinModifiers NONE =
      new BinModifiers(false, false, List.of(), Cardinality.ONE_TO_ONE, List.of(), null, null);
}
