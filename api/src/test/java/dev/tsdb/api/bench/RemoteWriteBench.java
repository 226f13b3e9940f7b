package dev.tsdb.api.bench;

import dev.tsdb.api.metadata.MetadataStore;
import dev.tsdb.api.remote.PromPb;
import dev.tsdb.api.remote.WriteOutcome;
import dev.tsdb.api.remote.PromPbV2;
import dev.tsdb.api.remote.WriteRequestDecoder;
import dev.tsdb.api.remote.WriteV2Decoder;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Remote-write ingestion cost without storage: snappy decompression plus protobuf decoding into
 * an appender that only sums what it gets. A batch is shaped like Prometheus's default queue
 * (2000 samples): {@code seriesCount} series of 10 labels, {@code 2000 / seriesCount} samples
 * each. The same batch is measured as a 1.0 {@code WriteRequest} and as a 2.0 {@code Request}
 * (the {@code V2} benchmarks). Run: see {@link #main}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RemoteWriteBench {
  @Param({"2000", "200"})
  int seriesCount;

  private byte[] compressed;
  private byte[] raw;
  private byte[] compressedV2;
  private byte[] rawV2;
  private final WriteV2Decoder decoderV2 = new WriteV2Decoder();
  private final WriteRequestDecoder decoder = new WriteRequestDecoder();
  private final SinkAppender sink = new SinkAppender();
  private final MetadataStore metadata = new MetadataStore();

  /** Consumes appends; keeps the values reachable so nothing is optimised away. */
  static final class SinkAppender implements Appender {
    long count;
    double sum;

    @Override
    public long append(long ref, Labels labels, long t, double v) {
      count++;
      sum += v + labels.size();
      return 1;
    }

    @Override
    public void commit() {}

    @Override
    public void rollback() {}
  }

  /** {@code seriesCount} series of 10 labels with {@code perSeries} samples 15 s apart each. */
  static List<PromPb.Series> batch(int seriesCount, int perSeries) {
    List<PromPb.Series> series = new ArrayList<>();
    for (int s = 0; s < seriesCount; s++) {
      Labels l = Labels.of("__name__", "http_requests_total", "job", "api-server",
          "instance", "10.0.0." + (s % 250) + ":8080", "method", "GET", "code", "200",
          "handler", "/api/v1/query_" + s, "env", "production", "region", "eu-west-1",
          "cluster", "c1", "pod", "api-" + s);
      long[] ts = new long[perSeries];
      double[] vs = new double[perSeries];
      for (int i = 0; i < perSeries; i++) {
        ts[i] = 1_700_000_000_000L + i * 15_000L;
        vs[i] = s * 1000 + i;
      }
      series.add(PromPb.Series.of(l, ts, vs));
    }
    return series;
  }

  @Setup
  public void setup() {
    List<PromPb.Series> series = batch(seriesCount, 2000 / seriesCount);
    raw = PromPb.writeRequest(series, List.of());
    compressed = snappy(raw);
    rawV2 = PromPbV2.request(series.stream().map(PromPbV2.Series::of).toList());
    compressedV2 = snappy(rawV2);
  }

  private static byte[] snappy(byte[] in) {
    SnappyCompressor c = new SnappyCompressor();
    byte[] out = new byte[c.maxCompressedLength(in.length)];
    return Arrays.copyOf(out, c.compress(in, 0, in.length, out, 0, out.length));
  }

  @Benchmark
  public long decodeOnlyV2() throws IOException {
    return decoderV2.decode(rawV2, rawV2.length, sink, metadata, Long.MAX_VALUE, false)
        .samplesAppended;
  }

  @Benchmark
  public long snappyAndDecodeV2() throws IOException {
    byte[] buf = new byte[SnappyDecompressor.getUncompressedLength(compressedV2, 0)];
    int n = new SnappyDecompressor().decompress(compressedV2, 0, compressedV2.length, buf, 0,
        buf.length);
    return decoderV2.decode(buf, n, sink, metadata, Long.MAX_VALUE, false).samplesAppended;
  }

  @Benchmark
  public long decodeOnly() throws IOException {
    WriteOutcome o = decoder.decode(raw, raw.length, sink, metadata, Long.MAX_VALUE);
    return o.samplesAppended;
  }

  @Benchmark
  public long snappyAndDecode() throws IOException {
    byte[] buf = new byte[SnappyDecompressor.getUncompressedLength(compressed, 0)];
    int n = new SnappyDecompressor().decompress(compressed, 0, compressed.length, buf, 0,
        buf.length);
    return decoder.decode(buf, n, sink, metadata, Long.MAX_VALUE).samplesAppended;
  }

  /** Smoke run (1 fork, short iterations; the machine is shared), with the GC profiler. */
  public static void main(String[] args) throws Exception {
    new Runner(new OptionsBuilder().include(RemoteWriteBench.class.getSimpleName())
        .forks(1).warmupIterations(2).warmupTime(TimeValue.seconds(1))
        .measurementIterations(3).measurementTime(TimeValue.seconds(1))
        .addProfiler("gc").jvmArgs("-Xmx1g").build()).run();
  }
}
