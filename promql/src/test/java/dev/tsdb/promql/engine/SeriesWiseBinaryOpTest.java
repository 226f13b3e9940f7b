package dev.tsdb.promql.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.QueryOptions;
import dev.tsdb.promql.QueryResult;
import dev.tsdb.promql.value.Matrix;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.promql.value.SeriesPoints;
import dev.tsdb.promql.value.Vector;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.testkit.MemStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One-to-one vector matching series by series answers exactly as step by step. */
class SeriesWiseBinaryOpTest {
  private MemStorage storage;

  @BeforeEach
  void setUp() throws Exception {
    storage = new MemStorage();
    Appender app = storage.appender();
    Random rnd = new Random(11);
    for (String name : List.of("a", "b", "c")) {
      for (int s = 0; s < 12; s++) {
        Labels ls = Labels.of("__name__", name, "instance", "i" + s, "job", "j" + (s % 3),
            "zone", name.equals("c") ? "z" + (s % 2) : "z");
        for (int i = 0; i < 60; i++) {
          if (rnd.nextInt(4) == 0) {
            continue; // gaps, some longer than the lookback at the end
          }
          double v = rnd.nextInt(10) == 0 ? Double.NaN : rnd.nextInt(9) - 4 + rnd.nextInt(4) / 4.0;
          app.append(0, ls, i * 15_000L + rnd.nextInt(5), v);
        }
      }
    }
    app.commit();
  }

  @AfterEach
  void restore() {
    BinaryOps.seriesWise = true;
  }

  private static String render(QueryResult r) {
    StringBuilder sb = new StringBuilder();
    if (r.value() instanceof Matrix m) {
      for (SeriesPoints s : m.series()) {
        sb.append(s.metric()).append(':');
        for (int i = 0; i < s.count(); i++) {
          sb.append(' ').append(s.timestampsMs()[i]).append('=')
              .append(Double.doubleToLongBits(s.values()[i]));
        }
        sb.append('\n');
      }
    } else if (r.value() instanceof Vector v) {
      for (Sample s : v.samples()) {
        sb.append(s.metric()).append(' ').append(Double.doubleToLongBits(s.value())).append('\n');
      }
    } else {
      sb.append(r.value());
    }
    sb.append(r.warnings()).append(r.infos());
    return sb.toString();
  }

  private static String run(Engine engine, MemStorage st, String q, boolean range,
      boolean seriesWise) {
    BinaryOps.seriesWise = seriesWise;
    try {
      QueryResult r = range
          ? engine.rangeQuery(st, q, 0, 900_000L, 15_000L, QueryOptions.DEFAULT)
          : engine.instantQuery(st, q, 600_000L, QueryOptions.DEFAULT);
      return render(r);
    } catch (PromQLException e) {
      return "error " + e.type() + ": " + e.getMessage();
    }
  }

  @Test
  void sameAnswersBothWays() {
    List<String> queries = new ArrayList<>();
    for (String op : List.of("+", "-", "*", "/", "%", "^", "atan2", "==", "!=", ">", "<", ">=",
        "<=")) {
      queries.add("a " + op + " b");
      queries.add("a " + op + " on(instance) b");
      queries.add("a " + op + " ignoring(zone) c");
      queries.add("sum by (job) (a) " + op + " sum by (job) (b)");
      queries.add("a " + op + " on(job) b"); // duplicates: many-to-many error
      queries.add("a " + op + " on(zone) c"); // duplicates
      queries.add("a offset 1m " + op + " a");
    }
    for (String op : List.of("==", "!=", ">", "<", ">=", "<=")) {
      queries.add("a " + op + " bool b");
      queries.add("a " + op + " bool on(instance, job) c");
    }
    for (String op : List.of("and", "or", "unless")) {
      queries.add("a " + op + " b");
      queries.add("a " + op + " on(job) b");
      queries.add("(a > 0) " + op + " ignoring(zone) c");
      queries.add("a " + op + " on(zone) c");
      queries.add("a " + op + " a offset 1m"); // equal labels on both sides
      queries.add("(a > 1) " + op + " (a < 3)");
      queries.add("abs(a) " + op + " abs(b)");
      queries.add("vector(1) " + op + " on() a");
      queries.add("a " + op + " on() vector(1)");
      queries.add("a " + op + " nonexistent");
      queries.add("nonexistent " + op + " b");
    }
    queries.add("(a > 0 or b > 0) and c");
    queries.add("rate(a[1m]) / rate(b[2m])");
    queries.add("{__name__=~\"a|b\"} + on(instance) c"); // left-hand duplicates
    queries.add("(a > 0) / ignoring(zone) c");
    for (boolean delayed : List.of(false, true)) {
      Engine engine = new Engine(EngineOptions.DEFAULT.withDelayedNameRemoval(delayed));
      for (String q : queries) {
        for (boolean range : List.of(false, true)) {
          String stepWise = run(engine, storage, q, range, false);
          String seriesWise = run(engine, storage, q, range, true);
          assertEquals(stepWise, seriesWise, q + (range ? " (range)" : " (instant)")
              + (delayed ? " delayed" : ""));
        }
      }
    }
  }
}
