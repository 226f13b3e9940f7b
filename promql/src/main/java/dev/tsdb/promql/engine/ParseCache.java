package dev.tsdb.promql.engine;

import dev.tsdb.promql.ast.Expr;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently parsed query texts and their expressions. Dashboards and API clients send the
 * same query texts over and over with other times; parsing (lexer, ANTLR prediction, AST, type
 * check) was about a third of the server time of a one-series instant query, and far more before
 * the JIT has compiled the parser. ASTs are immutable records, so one parse is shared by all
 * evaluations. Parse errors are not cached. Thread-safe.
 */
final class ParseCache {
  /** Longer texts are parsed every time (they are rare and would make big keys). */
  static final int MAX_QUERY_LENGTH = 4096;

  private final int capacity;
  private final LinkedHashMap<String, Expr> lru;

  ParseCache(int capacity) {
    this.capacity = capacity;
    this.lru = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Expr> eldest) {
        return size() > ParseCache.this.capacity;
      }
    };
  }

  /** The expression of {@code query}, parsed with {@code parser} unless cached. */
  Expr parse(String query, Engine.ExprParser parser) {
    if (capacity == 0 || query.length() > MAX_QUERY_LENGTH) {
      return parser.parse(query);
    }
    synchronized (lru) {
      Expr e = lru.get(query);
      if (e != null) {
        return e;
      }
    }
    Expr e = parser.parse(query); // outside the lock: a slow parse must not block the others
    synchronized (lru) {
      lru.put(query, e);
    }
    return e;
  }

  int size() {
    synchronized (lru) {
      return lru.size();
    }
  }
}
