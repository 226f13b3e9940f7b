package dev.tsdb.promql.parser;

/**
 * Feature switches of the parser, named after Prometheus's parser options (and the
 * {@code --enable-feature} flags behind them).
 *
 * @param enableExperimentalFunctions experimental functions and the limitk/limit_ratio
 *     aggregations ({@code promql-experimental-functions})
 * @param experimentalDurationExpr arithmetic in ranges, steps and offsets
 *     ({@code promql-duration-expr})
 * @param enableExtendedRangeSelectors the {@code anchored} and {@code smoothed} modifiers
 * @param enableBinopFillModifiers {@code fill()}, {@code fill_left()}, {@code fill_right()}
 */
public record ParserOptions(boolean enableExperimentalFunctions,
    boolean experimentalDurationExpr, boolean enableExtendedRangeSelectors,
    boolean enableBinopFillModifiers) {
  /** Everything experimental off, like a default Prometheus. */
  public static final ParserOptions DEFAULT = new ParserOptions(false, false, false, false);
  /** Everything on, as Prometheus runs its own conformance tests. */
  public static final ParserOptions ALL = new ParserOptions(true, true, true, true);

  public ParserOptions withExperimentalFunctions(boolean on) {
    return new ParserOptions(on, experimentalDurationExpr, enableExtendedRangeSelectors,
        enableBinopFillModifiers);
  }
}
