package dev.tsdb.rules.template;

import dev.tsdb.promql.value.Sample;
import java.util.List;

/** Runs an instant query for the {@code query} template function. */
@FunctionalInterface
public interface QueryFunction {
  /** The instant-vector result of {@code expr} at {@code timeMs} (scalars as one sample). */
  List<Sample> query(String expr, long timeMs) throws Exception;
}
