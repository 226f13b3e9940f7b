package dev.tsdb.head.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Smoke-runs the head benchmarks (1 fork, short iterations; the build machine is shared). Pass a
 * regex to select benchmarks. Run with the test classpath, e.g.
 *
 * <pre>
 * mvn -o -q -pl head -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp head/target/test-classes:head/target/classes:$(cat /tmp/cp.txt) \
 *     dev.tsdb.head.bench.BenchMain [regex]
 * </pre>
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Options o = new OptionsBuilder()
        .include(args.length > 0 ? args[0] : "dev.tsdb.head.bench.*")
        .forks(1)
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(3)
        .measurementTime(TimeValue.seconds(1))
        .jvmArgs("-Xmx1g")
        .build();
    new Runner(o).run();
  }
}
