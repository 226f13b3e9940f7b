package dev.tsdb.api.remote;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Remote write 1.0 decoding of known series into a storage-like appender (series by label hash,
 * as the head finds them), with and without {@link KnownSeries}: 100,000 series of 10 labels
 * sent as 50 requests of 2000 series x 1 sample, one request per op, cycling, so the series'
 * labels are as cold in the CPU caches as in a server. Run: see {@link #main}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KnownSeriesBench {
  private static final int SERIES = 100_000;
  private static final int PER_REQUEST = 2000;

  private final List<byte[]> requests = new ArrayList<>();
  private int next;
  private final HeadLike store = new HeadLike();
  private final WriteRequestDecoder lookup = new WriteRequestDecoder();
  private final WriteRequestDecoder known = new WriteRequestDecoder(new KnownSeries(1 << 20));

  /** Series by 64-bit label hash and by reference, as the head keeps them. */
  static final class HeadLike implements Appender {
    final Map<Long, Labels> byHash = new HashMap<>();
    final List<Labels> byRef = new ArrayList<>(List.of(Labels.EMPTY));
    final Map<Labels, Long> refs = new HashMap<>();
    double sum;

    @Override
    public Labels existingLabels(String[] nameValues, int len) {
      Labels l = byHash.get(Labels.hash64(nameValues, len));
      return l != null && l.equalsPairs(nameValues, len) ? l : null;
    }

    @Override
    public long append(long ref, Labels labels, long t, double v) {
      if (ref == 0 || byRef.get((int) ref) != labels) {
        Long r = refs.get(labels);
        if (r == null) {
          r = (long) byRef.size();
          byRef.add(labels);
          refs.put(labels, r);
          byHash.put(labels.hash64(), labels);
        }
        ref = r;
      }
      sum += v;
      return ref;
    }

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }

  @Setup
  public void setup() throws IOException {
    for (int from = 0; from < SERIES; from += PER_REQUEST) {
      List<PromPb.Series> series = new ArrayList<>();
      for (int s = from; s < from + PER_REQUEST; s++) {
        Labels l = Labels.of("__name__", "http_requests_total", "job", "api-server",
            "instance", "10.0." + (s / 250 % 250) + "." + (s % 250) + ":8080", "method", "GET",
            "code", "200", "handler", "/api/v1/query_" + (s % 40), "env", "production",
            "region", "eu-west-1", "cluster", "c" + s / 10_000, "pod", "api-" + s);
        series.add(PromPb.Series.of(l, new long[] {1_700_000_000_000L}, new double[] {s}));
      }
      requests.add(PromPb.writeRequest(series, List.of()));
    }
    // Two passes: the series exist, and the known-series table holds them.
    for (int i = 0; i < 2 * requests.size(); i++) {
      decodeKnown();
    }
  }

  private byte[] nextRequest() {
    byte[] r = requests.get(next);
    next = next + 1 == requests.size() ? 0 : next + 1;
    return r;
  }

  @Benchmark
  public long decodeLookup() throws IOException {
    byte[] r = nextRequest();
    return lookup.decode(r, r.length, store, null, Long.MAX_VALUE).samplesAppended;
  }

  @Benchmark
  public long decodeKnown() throws IOException {
    byte[] r = nextRequest();
    return known.decode(r, r.length, store, null, Long.MAX_VALUE).samplesAppended;
  }

  /** One fork, short iterations (the machine is shared), with the GC profiler. */
  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(KnownSeriesBench.class.getSimpleName())
        .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
        .measurementIterations(5).measurementTime(TimeValue.seconds(1))
        .addProfiler("gc").jvmArgs("-Xmx1g").build()).run();
  }
}
