package dev.tsdb.head.bench;

import dev.tsdb.index.postings.MemPostings;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.roaringbitmap.RoaringBitmap;

/**
 * Matcher evaluation over 100k series (100 metric names x 1000 instances, 10 jobs, a high
 * cardinality "pod" label).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PostingsBench {
  MemPostings p = new MemPostings();
  Matcher[] nameAndJob = {Matcher.eq("__name__", "metric_42"), Matcher.eq("job", "job_3")};
  Matcher[] nameJobRegex = {Matcher.eq("__name__", "metric_42"), Matcher.eq("job", "job_3"),
      Matcher.re("instance", "host-1.*")};
  Matcher[] alternationNeg = {Matcher.re("__name__", "metric_1|metric_2|metric_3"),
      Matcher.neq("job", "job_0")};
  Matcher[] wideIntersect = {Matcher.re("job", ".+"), Matcher.re("instance", "host-.*"),
      Matcher.eq("env", "prod")};

  @Setup
  public void setup() {
    int id = 1;
    for (int m = 0; m < 100; m++) {
      for (int i = 0; i < 1000; i++) {
        p.add(id++, Labels.of("__name__", "metric_" + m, "instance", "host-" + i,
            "job", "job_" + (i % 10), "env", i % 3 == 0 ? "dev" : "prod", "pod", "pod-" + id));
      }
    }
    p.optimize();
  }

  @Benchmark
  public RoaringBitmap nameAndJob() {
    return p.select(nameAndJob);
  }

  @Benchmark
  public RoaringBitmap nameJobRegex() {
    return p.select(nameJobRegex);
  }

  @Benchmark
  public RoaringBitmap alternationNegative() {
    return p.select(alternationNeg);
  }

  @Benchmark
  public RoaringBitmap wideIntersection() {
    return p.select(wideIntersect);
  }
}
