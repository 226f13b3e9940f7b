package dev.tsdb.api.bench;

import dev.tsdb.api.remote.PromPb;
import dev.tsdb.api.remote.WriteRequestDecoder;
import dev.tsdb.head.Head;
import dev.tsdb.head.HeadOptions;
import dev.tsdb.index.storage.Appender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The steady remote-write ingest path of known series, as the server runs it per request minus
 * HTTP and snappy: a 1.0 {@code WriteRequest} of {@link #SERIES} series (10 labels) x
 * {@link #PER_SERIES} samples decoded into a {@link Head} with its WAL on disk, then committed.
 * Each invocation moves every timestamp one request further (rewritten in place: the varints keep
 * their length), so every sample is a new in-order sample. One op = one sample; with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the garbage per sample. Run: see {@link #main}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RemoteWriteIngestBench {
  static final int SERIES = 1000;
  static final int PER_SERIES = 2;
  static final long STEP_MS = 15_000;
  // RemoteWriteBench.batch's first timestamp: a 6-byte varint, as every one up to 2^42 ms.
  static final long START_MS = 1_700_000_000_000L;

  private final WriteRequestDecoder decoder = new WriteRequestDecoder();
  private Path dir;
  private Head head;
  private byte[] raw;
  private int[] tsOffsets; // where each sample's timestamp varint starts in raw
  private long round;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    List<PromPb.Series> series = RemoteWriteBench.batch(SERIES, PER_SERIES);
    raw = PromPb.writeRequest(series, List.of());
    tsOffsets = TimestampOffsets.find(raw);
    if (tsOffsets.length != SERIES * PER_SERIES) {
      throw new IllegalStateException("found " + tsOffsets.length + " timestamps");
    }
    dir = Files.createTempDirectory("rw-ingest-bench");
    head = Head.open(dir, new HeadOptions().clock(() -> Long.MAX_VALUE / 2));
    ingest(); // creates the series: what is measured is the steady path
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    head.close();
    try (var files = Files.walk(dir)) {
      files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  @OperationsPerInvocation(SERIES * PER_SERIES)
  public long ingest() throws IOException {
    long base = START_MS + round++ * PER_SERIES * STEP_MS;
    for (int i = 0; i < tsOffsets.length; i++) {
      TimestampOffsets.write6(raw, tsOffsets[i], base + (i % PER_SERIES) * STEP_MS);
    }
    Appender app = head.appender();
    long n = decoder.decode(raw, raw.length, app, null, Long.MAX_VALUE).samplesAppended;
    app.commit();
    return n;
  }

  /** Finds the Sample.timestamp varints of a WriteRequest and rewrites them (6 bytes each). */
  static final class TimestampOffsets {
    private TimestampOffsets() {}

    static int[] find(byte[] b) {
      int[] out = new int[16];
      int n = 0;
      int[] pos = {0};
      while (pos[0] < b.length) {
        int tag = (int) varint(b, pos);
        int len = (int) varint(b, pos);
        int end = pos[0] + len;
        if (tag == ((1 << 3) | 2)) { // TimeSeries
          while (pos[0] < end) {
            int t = (int) varint(b, pos);
            int l = (int) varint(b, pos);
            int e = pos[0] + l;
            if (t == ((2 << 3) | 2)) { // Sample { double value = 1; int64 timestamp = 2; }
              while (pos[0] < e) {
                int st = (int) varint(b, pos);
                if (st == ((2 << 3) | 0)) {
                  if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                  }
                  out[n++] = pos[0];
                  varint(b, pos);
                } else {
                  pos[0] += 8; // the fixed64 value
                }
              }
            }
            pos[0] = e;
          }
        }
        pos[0] = end;
      }
      return Arrays.copyOf(out, n);
    }

    static void write6(byte[] b, int at, long v) {
      for (int i = 0; i < 5; i++) {
        b[at + i] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      b[at + 5] = (byte) v;
    }

    private static long varint(byte[] b, int[] pos) {
      long v = 0;
      for (int shift = 0; ; shift += 7) {
        byte x = b[pos[0]++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
    }
  }

  /** Smoke run (1 fork, short iterations; the machine is shared), with the GC profiler. */
  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(RemoteWriteIngestBench.class.getSimpleName())
        .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(2))
        .measurementIterations(5).measurementTime(TimeValue.seconds(2))
        .addProfiler("gc").jvmArgs("-Xmx1g").build()).run();
  }
}
