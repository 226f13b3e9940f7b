package dev.tsdb.bench.run;

import dev.tsdb.bench.gen.IngestPlan;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pushes a prepared {@link IngestPlan} to a remote-write endpoint as fast as it is accepted: one
 * thread per shard, each sending its requests in order over a pooled HTTP/1.1 connection and
 * waiting for the answer before the next one (as Prometheus's shards do).
 */
public final class Ingester {
  /** What a push achieved. Accepted samples are those of 2xx responses. */
  public record Result(long acceptedSamples, long failedSamples, long failedRequests,
      long wallNanos, String firstError) {
    public double samplesPerSecond() {
      return acceptedSamples / (wallNanos / 1e9);
    }
  }

  private final RemoteWriteClient client = new RemoteWriteClient(Duration.ofSeconds(120));

  public Result push(String baseUrl, IngestPlan plan) throws InterruptedException {
    URI uri = URI.create(baseUrl + "/api/v1/write");
    AtomicLong accepted = new AtomicLong();
    AtomicLong failedSamples = new AtomicLong();
    AtomicLong failedRequests = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Thread> senders = new ArrayList<>();
    long start = System.nanoTime();
    for (int s = 0; s < plan.shards(); s++) {
      byte[][] requests = plan.requests(s);
      int[] samples = plan.samples(s);
      Thread t = new Thread(() -> {
        for (int i = 0; i < requests.length; i++) {
          String error;
          try {
            error = client.send(uri, requests[i]);
          } catch (InterruptedException e) {
            return;
          }
          if (error == null) {
            accepted.addAndGet(samples[i]);
            continue;
          }
          failedSamples.addAndGet(samples[i]);
          failedRequests.incrementAndGet();
          firstError.compareAndSet(null, error);
        }
      }, "sender-" + s);
      senders.add(t);
      t.start();
    }
    for (Thread t : senders) {
      t.join();
    }
    return new Result(accepted.get(), failedSamples.get(), failedRequests.get(),
        System.nanoTime() - start, firstError.get());
  }
}
