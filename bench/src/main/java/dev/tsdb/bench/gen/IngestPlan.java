package dev.tsdb.bench.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Every request of a run, compressed up front so that sending costs no generation work. Series
 * are spread over shards by hash like Prometheus's queue manager does; one sender per shard sends
 * its requests in order (round by round), so each series' samples arrive in time order while
 * shards run concurrently.
 */
public final class IngestPlan {
  private final byte[][][] requests;
  private final int[][] samples;
  private final long totalSamples;
  private final long rawBytes;
  private final long compressedBytes;
  private final long buildNanos;

  private IngestPlan(byte[][][] requests, int[][] samples, long rawBytes, long buildNanos) {
    this.requests = requests;
    this.samples = samples;
    long total = 0;
    long compressed = 0;
    for (int s = 0; s < requests.length; s++) {
      for (int i = 0; i < requests[s].length; i++) {
        total += samples[s][i];
        compressed += requests[s][i].length;
      }
    }
    this.totalSamples = total;
    this.rawBytes = rawBytes;
    this.compressedBytes = compressed;
    this.buildNanos = buildNanos;
  }

  /** Which shard (sender) a series goes to. */
  public static int shardOf(int series, int shards) {
    return (int) Long.remainderUnsigned(Hash.mix(series, 0x5eed), shards);
  }

  /**
   * Builds all requests: {@code shards} senders, at most {@code maxSamplesPerSend} samples per
   * request, using {@code threads} threads.
   */
  public static IngestPlan build(Fleet fleet, int shards, int maxSamplesPerSend, int threads)
      throws InterruptedException {
    long start = System.nanoTime();
    WriteRequestEncoder encoder = new WriteRequestEncoder(fleet);
    int[][] seriesOfShard = new int[shards][];
    int[] counts = new int[shards];
    for (int i = 0; i < fleet.seriesCount(); i++) {
      counts[shardOf(i, shards)]++;
    }
    for (int s = 0; s < shards; s++) {
      seriesOfShard[s] = new int[counts[s]];
      counts[s] = 0;
    }
    for (int i = 0; i < fleet.seriesCount(); i++) {
      int s = shardOf(i, shards);
      seriesOfShard[s][counts[s]++] = i;
    }
    byte[][][] requests = new byte[shards][][];
    int[][] samples = new int[shards][];
    long[] raw = new long[shards * fleet.rounds()];
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        int[] ids = seriesOfShard[s];
        int perRound = (ids.length + maxSamplesPerSend - 1) / maxSamplesPerSend;
        requests[s] = new byte[perRound * fleet.rounds()][];
        samples[s] = new int[perRound * fleet.rounds()];
        for (int r = 0; r < fleet.rounds(); r++) {
          int shard = s;
          int round = r;
          work.add(pool.submit(() -> {
            for (int c = 0; c < perRound; c++) {
              int from = c * maxSamplesPerSend;
              int to = Math.min(ids.length, from + maxSamplesPerSend);
              byte[] body = encoder.encode(ids, from, to, round);
              raw[shard * fleet.rounds() + round] += body.length;
              requests[shard][round * perRound + c] = encoder.compress(body);
              samples[shard][round * perRound + c] = to - from;
            }
          }));
        }
      }
      for (Future<?> f : work) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("building requests failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    long rawTotal = 0;
    for (long r : raw) {
      rawTotal += r;
    }
    return new IngestPlan(requests, samples, rawTotal, System.nanoTime() - start);
  }

  public int shards() {
    return requests.length;
  }

  /** The compressed requests of a shard, in send order. */
  public byte[][] requests(int shard) {
    return requests[shard];
  }

  /** Samples carried by each request of a shard. */
  public int[] samples(int shard) {
    return samples[shard];
  }

  public long totalSamples() {
    return totalSamples;
  }

  public int totalRequests() {
    int n = 0;
    for (byte[][] r : requests) {
      n += r.length;
    }
    return n;
  }

  public long rawBytes() {
    return rawBytes;
  }

  public long compressedBytes() {
    return compressedBytes;
  }

  public long buildNanos() {
    return buildNanos;
  }
}
