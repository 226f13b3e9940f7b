package dev.tsdb.promql.engine;

/**
 * Engine-wide settings, named after Prometheus's flags where one exists.
 *
 * @param lookbackDeltaMs how far back an instant selector looks for the latest sample
 *     ({@code --query.lookback-delta}, 5m)
 * @param timeoutMs maximum wall time of one query ({@code --query.timeout}, 2m)
 * @param maxSamples maximum number of samples held in memory at once by one query
 *     ({@code --query.max-samples}, 50M)
 * @param maxConcurrency queries executing at once; further queries wait in a queue
 *     ({@code --query.max-concurrency}, 20)
 * @param noStepSubqueryIntervalMs step of subqueries written without one ({@code [5m:]}); upstream
 *     uses the global evaluation interval (1m by default)
 * @param enableExperimentalFunctions allow functions marked experimental
 *     ({@code --enable-feature=promql-experimental-functions})
 * @param enableDelayedNameRemoval drop {@code __name__} only at the end of evaluation
 *     ({@code --enable-feature=promql-delayed-name-removal})
 * @param maxNestingDepth deepest expression tree accepted, so pathological queries fail with an
 *     error instead of exhausting the thread stack
 * @param enableExtendedSyntax duration expressions, the {@code anchored}/{@code smoothed} range
 *     modifiers and {@code fill()} binary-operator modifiers ({@code promql-duration-expr},
 *     {@code promql-extended-range-selectors}, {@code promql-binop-fill-modifiers})
 */
public record EngineOptions(long lookbackDeltaMs, long timeoutMs, long maxSamples,
    int maxConcurrency, long noStepSubqueryIntervalMs, boolean enableExperimentalFunctions,
    boolean enableDelayedNameRemoval, int maxNestingDepth, boolean enableExtendedSyntax) {

  public static final EngineOptions DEFAULT = new EngineOptions(5 * 60_000L, 2 * 60_000L,
      50_000_000L, 20, 60_000L, false, false, 100_000, false);

  /** The parser settings these options imply. */
  public dev.tsdb.promql.parser.ParserOptions parserOptions() {
    return new dev.tsdb.promql.parser.ParserOptions(enableExperimentalFunctions,
        enableExtendedSyntax, enableExtendedSyntax, enableExtendedSyntax);
  }

  public EngineOptions {
    if (lookbackDeltaMs <= 0) {
      lookbackDeltaMs = 5 * 60_000L;
    }
    if (timeoutMs <= 0) {
      timeoutMs = 2 * 60_000L;
    }
    if (maxSamples <= 0) {
      maxSamples = 50_000_000L;
    }
    if (maxConcurrency <= 0) {
      maxConcurrency = 20;
    }
    if (noStepSubqueryIntervalMs <= 0) {
      noStepSubqueryIntervalMs = 60_000L;
    }
    if (maxNestingDepth <= 0) {
      maxNestingDepth = 100_000;
    }
  }

  public EngineOptions withLookbackDeltaMs(long v) {
    return new EngineOptions(v, timeoutMs, maxSamples, maxConcurrency, noStepSubqueryIntervalMs,
        enableExperimentalFunctions, enableDelayedNameRemoval, maxNestingDepth,
        enableExtendedSyntax);
  }

  public EngineOptions withTimeoutMs(long v) {
    return new EngineOptions(lookbackDeltaMs, v, maxSamples, maxConcurrency,
        noStepSubqueryIntervalMs, enableExperimentalFunctions, enableDelayedNameRemoval,
        maxNestingDepth, enableExtendedSyntax);
  }

  public EngineOptions withMaxSamples(long v) {
    return new EngineOptions(lookbackDeltaMs, timeoutMs, v, maxConcurrency,
        noStepSubqueryIntervalMs, enableExperimentalFunctions, enableDelayedNameRemoval,
        maxNestingDepth, enableExtendedSyntax);
  }

  public EngineOptions withMaxConcurrency(int v) {
    return new EngineOptions(lookbackDeltaMs, timeoutMs, maxSamples, v, noStepSubqueryIntervalMs,
        enableExperimentalFunctions, enableDelayedNameRemoval, maxNestingDepth,
        enableExtendedSyntax);
  }

  public EngineOptions withNoStepSubqueryIntervalMs(long v) {
    return new EngineOptions(lookbackDeltaMs, timeoutMs, maxSamples, maxConcurrency, v,
        enableExperimentalFunctions, enableDelayedNameRemoval, maxNestingDepth,
        enableExtendedSyntax);
  }

  public EngineOptions withExperimentalFunctions(boolean v) {
    return new EngineOptions(lookbackDeltaMs, timeoutMs, maxSamples, maxConcurrency,
        noStepSubqueryIntervalMs, v, enableDelayedNameRemoval, maxNestingDepth,
        enableExtendedSyntax);
  }

  public EngineOptions withExtendedSyntax(boolean v) {
    return new EngineOptions(lookbackDeltaMs, timeoutMs, maxSamples, maxConcurrency,
        noStepSubqueryIntervalMs, enableExperimentalFunctions, enableDelayedNameRemoval,
        maxNestingDepth, v);
  }

  public EngineOptions withDelayedNameRemoval(boolean v) {
    return new EngineOptions(lookbackDeltaMs, timeoutMs, maxSamples, maxConcurrency,
        noStepSubqueryIntervalMs, enableExperimentalFunctions, v, maxNestingDepth,
        enableExtendedSyntax);
  }
}
