package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.parser.Parser;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.testkit.MemStorage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParseCacheTest {
  @Test
  void repeatedTextsAreParsedOnceAndErrorsEveryTime() {
    AtomicInteger parses = new AtomicInteger();
    Engine.ExprParser counting = q -> {
      parses.incrementAndGet();
      return Parser.parseExpr(q);
    };
    ParseCache cache = new ParseCache(2);
    Expr a = cache.parse("up{job=\"a\"}", counting);
    assertSame(a, cache.parse("up{job=\"a\"}", counting));
    assertEquals(1, parses.get());
    cache.parse("b", counting);
    cache.parse("up{job=\"a\"}", counting); // most recently used: kept
    cache.parse("c", counting); // evicts "b"
    assertEquals(3, parses.get());
    cache.parse("b", counting);
    assertEquals(4, parses.get());
    assertEquals(2, cache.size());
    for (int i = 0; i < 2; i++) {
      assertThrows(PromQLException.class, () -> cache.parse("up{", counting));
    }
    assertEquals(6, parses.get());
    String longQuery = "1" + " + 1".repeat(ParseCache.MAX_QUERY_LENGTH / 4);
    cache.parse(longQuery, counting);
    cache.parse(longQuery, counting);
    assertEquals(8, parses.get());
  }

  @Test
  void engineAnswersFromACachedParseWithEachQuerysTime() throws Exception {
    MemStorage storage = new MemStorage();
    Appender app = storage.appender();
    for (int i = 0; i < 10; i++) {
      app.append(0, Labels.of("__name__", "x"), i * 60_000L, i);
    }
    app.commit();
    Engine engine = new Engine(EngineOptions.DEFAULT);
    for (int i = 0; i < 10; i++) {
      Vector v = (Vector) engine.instantQuery(storage, "x * 2", i * 60_000L, QueryOptions.DEFAULT)
          .value();
      assertEquals(2.0 * i, v.samples().get(0).value());
    }
  }
}
