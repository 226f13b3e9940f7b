package dev.tsdb.wal.bench;

import dev.tsdb.wal.Wal;
import dev.tsdb.wal.WalOptions;
import dev.tsdb.wal.WalReader;
import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.wal.record.RecordDecoder;
import dev.tsdb.wal.record.RecordEncoder;
import dev.tsdb.wal.record.SampleBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * WAL ingest and replay costs for one samples record of 1000 samples. Run with {@code -prof gc}
 * to see allocation per op (expected ~0). Smoke run: {@code java -cp <test classpath>
 * dev.tsdb.wal.bench.WalBenchmark}; full run: {@code org.openjdk.jmh.Main WalBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WalBenchmark {
  @Param({"NONE"})
  public WalOptions.Compression compression;

  private static final int SAMPLES = 1000;
  private Path dir;
  private Wal wal;
  private final SampleBatch batch = new SampleBatch(SAMPLES);
  private final SampleBatch decoded = new SampleBatch(SAMPLES);
  private final EncodeBuffer buf = new EncodeBuffer();
  private final RecordDecoder decoder = new RecordDecoder();
  private byte[] encoded;
  private Path replayDir;
  private long round;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("walbench");
    wal = Wal.open(dir.resolve("wal"), new WalOptions(16 * 1024 * 1024, compression));
    for (int i = 0; i < SAMPLES; i++) {
      batch.add(i * 3L + 1, 1_700_000_000_000L + i % 7, i * 0.25);
    }
    RecordEncoder.samples(batch, buf);
    encoded = buf.toByteArray();
    replayDir = dir.resolve("replay");
    try (Wal w = Wal.open(replayDir, new WalOptions(16 * 1024 * 1024, compression))) {
      for (int i = 0; i < 2000; i++) {
        w.log(encoded);
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    wal.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public int encodeSamples() {
    batch.ts[0] = round++;
    RecordEncoder.samples(batch, buf);
    return buf.length();
  }

  /** Encode plus write(2) of the page bytes (no fsync), as on every commit. */
  @Benchmark
  public int encodeAndLog() throws IOException {
    batch.ts[0] = round;
    RecordEncoder.samples(batch, buf);
    wal.log(buf);
    if ((++round & 1023) == 0) {
      wal.truncate(wal.currentSegment()); // keep the benchmark's disk use bounded
    }
    return buf.length();
  }

  @Benchmark
  public int decodeSamples() {
    decoder.samples(encoded, encoded.length, decoded);
    return decoded.size;
  }

  /** Reads and decodes 2000 records (2M samples) from disk: replay throughput. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long replay2000Records() throws IOException {
    long n = 0;
    try (WalReader r = WalReader.open(replayDir)) {
      while (r.next()) {
        decoder.samples(r.record(), r.recordLength(), decoded);
        n += decoded.size;
      }
    }
    return n;
  }

  /** Smoke run: one short iteration per benchmark, in-process, with the GC profiler. */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder()
        .include(WalBenchmark.class.getSimpleName())
        .forks(0)
        .warmupIterations(1)
        .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
        .measurementIterations(1)
        .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
        .addProfiler("gc")
        .build()).run();
  }
}
