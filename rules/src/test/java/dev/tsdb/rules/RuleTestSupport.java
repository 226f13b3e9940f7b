package dev.tsdb.rules;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.engine.Engine;
import dev.tsdb.promql.engine.EngineOptions;
import dev.tsdb.promql.parser.Parser;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.MemStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Real storage + real engine wiring shared by the rule tests. */
final class RuleTestSupport {
  final MemStorage storage = new MemStorage();
  final Engine engine = new Engine(EngineOptions.DEFAULT, Parser::parseExpr);

  RuleManagerOptions options() {
    return RuleManagerOptions.of(storage, storage,
        EngineQueryFunc.of(engine, storage, QueryOptions.DEFAULT));
  }

  void append(Labels l, long t, double v) throws Exception {
    Appender a = storage.appender();
    a.append(0, l, t, v);
    a.commit();
  }

  static Path writeRules(Path dir, String name, String yaml) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  /** Raw samples (t, v) of every series matching, keyed by labels. */
  Map<Labels, List<double[]>> raw(Matcher... ms) {
    Map<Labels, List<double[]>> out = new LinkedHashMap<>();
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, null, ms);
      while (ss.next()) {
        List<double[]> pts = new ArrayList<>();
        SampleIterator it = ss.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          pts.add(new double[] {it.t(), it.v()});
        }
        out.put(ss.at().labels(), pts);
      }
    }
    return out;
  }

  static boolean isStale(double v) {
    return Double.doubleToRawLongBits(v) == Group.STALE_NAN_BITS;
  }
}
