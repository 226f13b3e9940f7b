package dev.tsdb.server;

import dev.tsdb.api.QueryParser;
import dev.tsdb.api.SelectorParser;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.Prettier;
import dev.tsdb.promql.parser.AstJson;
import dev.tsdb.promql.QueryEngine;
import dev.tsdb.promql.engine.Engine;
import dev.tsdb.promql.engine.EngineOptions;
import dev.tsdb.promql.parser.Parser;
import dev.tsdb.promql.parser.ParserOptions;
import java.util.Set;

/**
 * The one place the server creates its PromQL engine and parser, configured from flags and
 * {@code --enable-feature} names (Prometheus's: promql-experimental-functions,
 * promql-duration-expr, promql-delayed-name-removal, promql-extended-range-selectors,
 * promql-binop-fill-modifiers).
 */
public final class EngineFactory {
  /** Engine settings from flags. */
  public record Options(long lookbackDeltaMs, long timeoutMs, int maxSamples,
      int maxConcurrency, long evaluationIntervalMs, Set<String> features) {}

  private EngineFactory() {}

  public static ParserOptions parserOptions(Set<String> features) {
    return new ParserOptions(features.contains("promql-experimental-functions"),
        features.contains("promql-duration-expr"),
        features.contains("promql-extended-range-selectors"),
        features.contains("promql-binop-fill-modifiers"));
  }

  public static QueryEngine create(Options o) {
    ParserOptions po = parserOptions(o.features());
    EngineOptions eo = EngineOptions.DEFAULT
        .withLookbackDeltaMs(o.lookbackDeltaMs())
        .withTimeoutMs(o.timeoutMs())
        .withMaxSamples(o.maxSamples())
        .withMaxConcurrency(o.maxConcurrency())
        .withNoStepSubqueryIntervalMs(o.evaluationIntervalMs())
        .withExperimentalFunctions(po.enableExperimentalFunctions())
        .withDelayedNameRemoval(o.features().contains("promql-delayed-name-removal"))
        .withExtendedSyntax(po.experimentalDurationExpr() || po.enableExtendedRangeSelectors()
            || po.enableBinopFillModifiers());
    return new Engine(eo, q -> Parser.parseExpr(q, po));
  }

  public static QueryParser queryParser(Set<String> features) {
    ParserOptions po = parserOptions(features);
    return new QueryParser() {
      @Override
      public Expr parse(String query) {
        return Parser.parseExpr(query, po);
      }

      @Override
      public String pretty(Expr expr) {
        return Prettier.format(expr);
      }

      @Override
      public Object toJson(Expr expr) {
        return AstJson.translate(expr);
      }
    };
  }

  public static SelectorParser selectorParser() {
    return Parser::parseMetricSelector;
  }
}
