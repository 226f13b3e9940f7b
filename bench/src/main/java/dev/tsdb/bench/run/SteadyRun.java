package dev.tsdb.bench.run;

import dev.tsdb.bench.gen.IngestPlan;
import dev.tsdb.bench.server.ProcStats;
import dev.tsdb.bench.server.ServerProcess;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Real-time ingestion into several servers at once, as Prometheus's remote write would feed them:
 * round {@code r} of the plan (one scrape of every series, timestamped {@code startMs + r *
 * interval} plus the target's offset below the interval) is sent to every server when the wall
 * clock reaches {@code startMs + (r + 1) * interval}. Every server gets its own sender threads,
 * so a slow one never delays the others. The servers' RSS is sampled at a fixed period; this is
 * the memory a user would see after running the load for the plan's duration, without the
 * garbage a compressed, as-fast-as-possible push leaves behind.
 *
 * <p>The servers run concurrently: at 15 s resolution the load is light (100k series are ~6.7k
 * samples/s), so they hardly compete for CPU, and an hour of data takes an hour, not two.
 */
public final class SteadyRun {
  /** RSS and CPU of every server at one moment, {@code elapsedMs} after the first round. */
  public record Sample(long elapsedMs, Map<String, ProcStats> stats) {}

  /** Samples and failures over the run; {@code empty} before the first round. */
  public record Result(List<String> names, Map<String, String> descriptions,
      Map<String, ProcStats> empty, List<Sample> samples, Map<String, Long> failedRequests,
      Map<String, String> firstErrors, Map<String, Long> acceptedSamples,
      Map<String, Long> maxLagMs) {}

  private final IngestPlan plan;
  private final int rounds;
  private final long startMs;
  private final long intervalMs;
  private final Duration settle;
  private final Duration samplePeriod;
  private final Consumer<String> progress;
  private final RemoteWriteClient client = new RemoteWriteClient(Duration.ofSeconds(60));

  public SteadyRun(IngestPlan plan, int rounds, long startMs, long intervalMs, Duration settle,
      Duration samplePeriod, Consumer<String> progress) {
    this.plan = plan;
    this.rounds = rounds;
    this.startMs = startMs;
    this.intervalMs = intervalMs;
    this.settle = settle;
    this.samplePeriod = samplePeriod;
    this.progress = progress;
  }

  /** Starts all servers, feeds them in real time, samples them, stops them. */
  public Result run(List<ServerProcess> servers) throws IOException, InterruptedException {
    Map<String, ProcStats> empty = new LinkedHashMap<>();
    Map<String, String> descriptions = new LinkedHashMap<>();
    List<String> names = new ArrayList<>();
    try {
      for (ServerProcess s : servers) {
        progress.accept(s.name() + ": starting");
        s.start(Duration.ofMinutes(2));
        names.add(s.name());
        descriptions.put(s.name(), s.describe());
      }
      Thread.sleep(settle.toMillis());
      for (ServerProcess s : servers) {
        empty.put(s.name(), s.stats());
      }
      long firstDue = startMs + intervalMs;
      Map<String, AtomicLong> failed = new LinkedHashMap<>();
      Map<String, AtomicLong> accepted = new LinkedHashMap<>();
      Map<String, AtomicLong> lag = new LinkedHashMap<>();
      Map<String, String[]> errors = new LinkedHashMap<>();
      List<Thread> senders = new ArrayList<>();
      for (ServerProcess s : servers) {
        failed.put(s.name(), new AtomicLong());
        accepted.put(s.name(), new AtomicLong());
        lag.put(s.name(), new AtomicLong());
        errors.put(s.name(), new String[1]);
        URI uri = URI.create(s.baseUrl() + "/api/v1/write");
        for (int shard = 0; shard < plan.shards(); shard++) {
          int sh = shard;
          Thread t = new Thread(() -> feed(uri, sh, failed.get(s.name()),
              accepted.get(s.name()), lag.get(s.name()), errors.get(s.name())),
              s.name() + "-sender-" + shard);
          t.setDaemon(true);
          senders.add(t);
        }
      }
      progress.accept(String.format("feeding %d rounds in real time, one every %d s, until %s",
          rounds, intervalMs / 1000, java.time.Instant.ofEpochMilli(startMs
              + (long) rounds * intervalMs)));
      senders.forEach(Thread::start);
      List<Sample> samples = new ArrayList<>();
      long end = startMs + (long) rounds * intervalMs + settle.toMillis();
      long next = firstDue;
      while (true) {
        long now = System.currentTimeMillis();
        if (now < next) {
          Thread.sleep(Math.min(next, end) - now);
          now = System.currentTimeMillis();
        }
        Map<String, ProcStats> at = new LinkedHashMap<>();
        for (ServerProcess s : servers) {
          if (!s.isAlive()) {
            throw new IOException(s.name() + " died; log " + s.logFile() + ":\n"
                + ServerProcess.tail(s.logFile(), 2000));
          }
          at.put(s.name(), s.stats());
        }
        samples.add(new Sample(now - firstDue, at));
        StringBuilder line = new StringBuilder(String.format("%4.0f min:", (now - firstDue)
            / 60_000.0));
        at.forEach((n, st) -> line.append(String.format("  %s RSS %.1f MiB", n,
            st.rssBytes() / 1048576.0)));
        progress.accept(line.toString());
        if (now >= end) {
          break;
        }
        next += samplePeriod.toMillis();
      }
      for (Thread t : senders) {
        t.join(60_000);
      }
      Map<String, Long> failedOut = new LinkedHashMap<>();
      Map<String, Long> acceptedOut = new LinkedHashMap<>();
      Map<String, Long> lagOut = new LinkedHashMap<>();
      Map<String, String> errorsOut = new LinkedHashMap<>();
      for (String n : names) {
        failedOut.put(n, failed.get(n).get());
        acceptedOut.put(n, accepted.get(n).get());
        lagOut.put(n, lag.get(n).get());
        errorsOut.put(n, errors.get(n)[0]);
      }
      return new Result(names, descriptions, empty, samples, failedOut, errorsOut, acceptedOut,
          lagOut);
    } finally {
      for (ServerProcess s : servers) {
        s.close();
      }
    }
  }

  /** One shard's requests to one server, round by round at the round's due time. */
  private void feed(URI uri, int shard, AtomicLong failed, AtomicLong accepted, AtomicLong maxLag,
      String[] firstError) {
    byte[][] requests = plan.requests(shard);
    int[] samples = plan.samples(shard);
    int perRound = requests.length / rounds;
    try {
      for (int r = 0; r < rounds; r++) {
        long due = startMs + (r + 1) * intervalMs;
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait);
        } else {
          maxLag.accumulateAndGet(-wait, Math::max);
        }
        for (int c = 0; c < perRound; c++) {
          int i = r * perRound + c;
          String error = client.send(uri, requests[i]);
          if (error == null) {
            accepted.addAndGet(samples[i]);
            continue;
          }
          failed.incrementAndGet();
          synchronized (firstError) {
            if (firstError[0] == null) {
              firstError[0] = error;
            }
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
