package dev.tsdb.api;

import dev.tsdb.index.labels.Matcher;
import java.util.List;

/**
 * Parses a series selector ({@code up{job="a"}}) into matchers, as the match[] parameter needs.
 * Implemented by the PromQL parser; throws {@link dev.tsdb.promql.PromQLException} with the
 * parser's message (e.g. {@code 1:3: parse error: ...}) on bad input.
 */
@FunctionalInterface
public interface SelectorParser {
  List<Matcher> parse(String selector);
}
