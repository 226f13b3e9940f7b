package dev.tsdb.testdata.promqltest;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.engine.Engine;
import dev.tsdb.promql.engine.EngineOptions;
import dev.tsdb.promql.parser.Parser;
import dev.tsdb.promql.parser.ParserOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs Prometheus's PromQL conformance scripts (every {@code *.test} in the directory given by the
 * {@code promqltest.dir} system property, by default the shared checkout next to the project)
 * and prints a table. Fails if any eval fails in the required files.
 */
class PromqlConformanceTest {
  static final Set<String> REQUIRED = Set.of("aggregators", "at_modifier", "collision",
      "functions", "histograms", "literals", "name_label_dropping", "operators", "range_queries",
      "selectors", "staleness", "subquery", "trig_functions", "native_histograms");

  /** As Prometheus's test engine: experimental features and delayed name removal on. */
  static Engine testEngine() {
    EngineOptions opts = EngineOptions.DEFAULT.withExperimentalFunctions(true)
        .withDelayedNameRemoval(true).withExtendedSyntax(true).withNoStepSubqueryIntervalMs(60_000)
        .withTimeoutMs(100_000);
    return new Engine(opts, PromqlConformanceTest::parse);
  }

  /** The parser with everything experimental enabled, as Prometheus's test engine. */
  static Expr parse(String q) {
    return Parser.parseExpr(q, ParserOptions.ALL);
  }

  static Path testDir() {
    String explicit = System.getProperty("promqltest.dir");
    if (explicit != null && !explicit.isBlank()) {
      return Paths.get(explicit);
    }
    List<Path> candidates = new ArrayList<>();
    String mmp = System.getProperty("maven.multiModuleProjectDirectory");
    if (mmp != null) {
      candidates.add(Paths.get(mmp).resolve("../shared/promqltest"));
    }
    String basedir = System.getProperty("promqltest.basedir");
    if (basedir != null) {
      candidates.add(Paths.get(basedir).resolve("../../shared/promqltest"));
    }
    Path cwd = Paths.get("").toAbsolutePath();
    candidates.add(cwd.resolve("../shared/promqltest"));
    candidates.add(cwd.resolve("../../shared/promqltest"));
    candidates.add(Paths.get("/work/shared/promqltest"));
    for (Path p : candidates) {
      if (Files.isDirectory(p)) {
        return p.normalize();
      }
    }
    return candidates.get(0).normalize();
  }

  @Test
  void conformance() throws IOException {
    Path dir = testDir();
    assertTrue(Files.isDirectory(dir), "PromQL test scripts not found at " + dir
        + " (set -Dpromqltest.dir)");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".test")).sorted()
          .collect(Collectors.toList());
    }
    ScriptRunner runner = new ScriptRunner(testEngine(), PromqlConformanceTest::parse);
    List<ScriptRunner.FileReport> reports = new ArrayList<>();
    for (Path f : files) {
      String name = f.getFileName().toString();
      reports.add(runner.run(name, Files.readString(f, StandardCharsets.UTF_8)));
    }

    StringBuilder table = new StringBuilder("\nPromQL conformance (").append(dir).append(")\n");
    table.append(String.format("%-26s %8s %6s %6s %7s  %s%n", "file", "required", "evals",
        "passed", "failed", "skipped"));
    List<String> requiredFailures = new ArrayList<>();
    StringBuilder failures = new StringBuilder();
    long totalEvals = 0;
    long totalPassed = 0;
    long totalFailed = 0;
    long totalSkipped = 0;
    for (ScriptRunner.FileReport r : reports) {
      String base = r.file().replaceFirst("\\.test$", "");
      boolean required = REQUIRED.contains(base);
      Map<String, Long> skipReasons = new TreeMap<>();
      for (ScriptRunner.Outcome o : r.outcomes()) {
        if (o.status() == ScriptRunner.Status.SKIPPED) {
          skipReasons.merge(o.detail(), 1L, Long::sum);
          if (Boolean.getBoolean("promqltest.verbose")) {
            System.out.println("skipped " + r.file() + ":" + o.line() + ": " + o.expr());
          }
        }
        if (o.status() == ScriptRunner.Status.FAILED) {
          String line = r.file() + ":" + o.line() + ": " + o.expr() + "\n    " + o.detail()
              + "\n";
          failures.append(required ? "[required] " : "[optional] ").append(line);
          if (required) {
            requiredFailures.add(line);
          }
        }
      }
      long passed = r.count(ScriptRunner.Status.PASSED);
      long failed = r.count(ScriptRunner.Status.FAILED);
      long skipped = r.count(ScriptRunner.Status.SKIPPED);
      totalEvals += r.outcomes().size();
      totalPassed += passed;
      totalFailed += failed;
      totalSkipped += skipped;
      String skipText = skipped == 0 ? "" : skipped + " " + skipReasons;
      table.append(String.format("%-26s %8s %6d %6d %7d  %s%n", r.file(), required ? "yes" : "no",
          r.outcomes().size(), passed, failed, skipText));
      if (r.fatal() != null) {
        table.append("    FATAL: ").append(r.fatal()).append('\n');
        if (required) {
          requiredFailures.add(r.file() + ": " + r.fatal());
        }
      }
    }
    table.append(String.format("%-26s %8s %6d %6d %7d  %d%n", "total", "", totalEvals,
        totalPassed, totalFailed, totalSkipped));
    System.out.println(table);
    if (failures.length() > 0) {
      System.out.println("Failed evals:\n" + failures);
    }
    if (!requiredFailures.isEmpty()) {
      fail(requiredFailures.size() + " eval(s) failed in required files:\n"
          + String.join("", requiredFailures));
    }
  }
}
