package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The warm-up's queries all parse and find its made-up data (an empty answer would warm only the
 * parser), through an engine made as the server makes its own.
 */
class QueryWarmupTest {
  @Test
  void everyQueryAnswersSomething() throws Exception {
    var engine = EngineFactory.create(new EngineFactory.Options(300_000, 120_000, 50_000_000, 20,
        60_000, Set.of()));
    assertEquals(QueryWarmup.queryCount(), QueryWarmup.warm(engine, 1));
  }
}
