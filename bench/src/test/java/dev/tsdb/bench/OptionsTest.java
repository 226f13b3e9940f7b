package dev.tsdb.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void defaultsAndOverrides() {
    Options d = Options.parse("ingest");
    assertEquals(100_000, d.series);
    assertEquals(240, d.rounds);
    assertEquals(2000, d.batch);
    assertEquals(List.of("tsdb", "prometheus"), d.servers);
    assertTrue(!d.queries() && !d.disk());

    Options o = Options.parse("all", "--series=20000", "--senders", "8", "--tsdb-heaps=2g,512m",
        "--tsdb-jvm-opts=-XX:+UseSerialGC  -Xss1m", "--settle=2.5", "--keep", "--out", "r.md");
    assertEquals(20_000, o.series);
    assertEquals(8, o.senders);
    assertEquals(List.of("2g", "512m"), o.tsdbHeaps);
    assertEquals(List.of("-XX:+UseSerialGC", "-Xss1m"), o.tsdbJvmOpts);
    assertEquals(Duration.ofMillis(2500), o.settle);
    assertTrue(o.keep && o.queries() && o.disk());
    assertEquals(Path.of("r.md"), o.out);

    Options steady = Options.parse("steady", "--sample-every=30");
    assertTrue(steady.steady() && !steady.queries() && !steady.disk());
    assertEquals(Duration.ofSeconds(30), steady.samplePeriod);
    assertEquals(Duration.ofSeconds(60), d.samplePeriod);
    assertEquals(Duration.ofSeconds(3), d.warmupTime);
    assertEquals(Duration.ofMillis(500), Options.parse("query", "--warmup-seconds=0.5")
        .warmupTime);
  }

  @Test
  void restartScenarioReferencesAndBurstReadings() {
    Options d = Options.parse("ingest");
    assertEquals(List.of(Path.of("/usr/bin/prometheus")), d.prometheus);
    assertEquals(List.of(Duration.ofSeconds(3), Duration.ofSeconds(60)), d.afterBurst);
    assertEquals(0, d.firstRunsAfterIngest());
    assertTrue(!d.restart());
    assertEquals(Path.of("/usr/bin/promtool"), d.promtoolFor(d.prometheus.get(0)));
    assertEquals(5, Options.parse("query").firstRunsAfterIngest());

    Options all = Options.parse("all");
    assertTrue(all.restart() && all.queries() && all.disk());
    Options r = Options.parse("restart", "--prometheus=/usr/bin/prometheus,"
        + "/opt/prometheus3/usr/bin/prometheus", "--after-burst=1.5,30", "--first-runs=3");
    assertTrue(r.restart() && !r.queries() && !r.disk());
    assertEquals(3, r.firstRunsAfterIngest());
    assertEquals(List.of(Path.of("/usr/bin/prometheus"),
        Path.of("/opt/prometheus3/usr/bin/prometheus")), r.prometheus);
    assertEquals(Path.of("/opt/prometheus3/usr/bin/promtool"),
        r.promtoolFor(r.prometheus.get(1)));
    assertEquals(List.of(Duration.ofMillis(1500), Duration.ofSeconds(30)), r.afterBurst);
    assertEquals(Path.of("/x/promtool"), Options.parse("disk", "--promtool=/x/promtool")
        .promtoolFor(r.prometheus.get(1)));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("ingest",
        "--prometheus=,"));
  }

  @Test
  void defaultJvmFlagsAreThoseOfTheLauncher() throws java.io.IOException {
    Options d = Options.parse("ingest");
    assertEquals(List.of("default"), d.tsdbHeaps);
    // The bench measures the server as ./tsdb starts it: same flags, no -Xmx.
    String script = java.nio.file.Files.readString(Path.of("..", "tsdb"));
    assertTrue(script.contains("TSDB_DEFAULT_JAVA_OPTS=\"" + String.join(" ", d.tsdbJvmOpts)
        + "\"\n"), "./tsdb and Options.TSDB_DEFAULT_JVM_OPTS differ");
  }

  @Test
  void rejectsWhatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> Options.parse());
    assertThrows(IllegalArgumentException.class, () -> Options.parse("fast"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("ingest", "--nope=1"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("ingest", "--series=0"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("ingest", "--servers=x"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Options.parse("ingest", "--rounds=300"));
    assertTrue(e.getMessage().contains("hour"));
  }

  @Test
  void badCommandLineExitsWith2AndHelpWith0() {
    assertEquals(2, Main.run(new String[] {"ingest", "--series=-5"}));
    assertEquals(0, Main.run(new String[] {"--help"}));
  }
}
