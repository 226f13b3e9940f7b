package dev.tsdb.blocks.db.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Smoke-runs the database benchmarks (1 fork, short iterations; the build machine is shared).
 *
 * <pre>
 * mvn -o -q -pl blocks -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp blocks/target/test-classes:blocks/target/classes:$(cat /tmp/cp.txt) \
 *     dev.tsdb.blocks.db.bench.BenchMain [regex]
 * </pre>
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    Options o = new OptionsBuilder()
        .include(args.length > 0 ? args[0] : "dev.tsdb.blocks.db.bench.*")
        .forks(1)
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(3)
        .measurementTime(TimeValue.seconds(1))
        .addProfiler("gc")
        .jvmArgs("-Xmx1g")
        .build();
    new Runner(o).run();
  }
}
