package dev.tsdb.bench.gen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deterministic fleet of scrape targets, each exposing {@link TargetTemplate}'s series, cut to
 * exactly {@code seriesCount} series. Series {@code i} belongs to target {@code i / S} and is the
 * template's series {@code i % S}. Values and timestamps are pure functions of (seed, series,
 * round): round {@code r} is one scrape at {@code startMs + r * intervalMs} plus a fixed per-target
 * offset below 10 s (targets are not scraped in lockstep).
 */
public final class Fleet {
  static final String[] JOBS = {"node", "kubelet", "api", "web", "batch"};

  private final int seriesCount;
  private final long seed;
  private final long startMs;
  private final int rounds;
  private final int intervalMs;
  private final List<SeriesTemplate> template = TargetTemplate.series();

  public Fleet(int seriesCount, long seed, long startMs, int rounds, int intervalMs) {
    if (seriesCount <= 0 || rounds <= 0 || intervalMs <= 0) {
      throw new IllegalArgumentException("series, rounds and interval must be positive");
    }
    this.seriesCount = seriesCount;
    this.seed = seed;
    this.startMs = startMs;
    this.rounds = rounds;
    this.intervalMs = intervalMs;
  }

  /**
   * The fleet a run starting at {@code nowMs} ingests: rounds aligned to the interval, the last
   * one (plus its offset below 10 s) still in the past, so every sample is at most
   * {@code rounds * intervalMs} old. The benchmark tool passes the wall clock, the JMH benchmark a
   * fixed instant, so both hold the same data relative to "now".
   */
  public static Fleet endingBefore(long nowMs, int seriesCount, long seed, int rounds,
      int intervalMs) {
    long startMs = (nowMs - (long) rounds * intervalMs) / intervalMs * intervalMs;
    return new Fleet(seriesCount, seed, startMs, rounds, intervalMs);
  }

  public int seriesCount() {
    return seriesCount;
  }

  public int rounds() {
    return rounds;
  }

  public int intervalMs() {
    return intervalMs;
  }

  public long startMs() {
    return startMs;
  }

  /** Series per target. */
  public int targetSize() {
    return template.size();
  }

  public int targetCount() {
    return (seriesCount + template.size() - 1) / template.size();
  }

  /** The latest timestamp any series gets. */
  public long endMs() {
    return startMs + (long) (rounds - 1) * intervalMs + 9_999;
  }

  public SeriesTemplate template(int series) {
    return template.get(series % template.size());
  }

  /** Sorted label name/value pairs of a series, __name__ first. */
  public String[] labels(int series) {
    int target = series / template.size();
    SeriesTemplate t = template(series);
    List<String[]> pairs = new ArrayList<>();
    pairs.add(new String[] {"__name__", t.name()});
    for (int i = 0; i < t.extraLabels().length; i += 2) {
      pairs.add(new String[] {t.extraLabels()[i], t.extraLabels()[i + 1]});
    }
    for (String[] p : targetLabels(target)) {
      pairs.add(p);
    }
    pairs.sort((a, b) -> a[0].compareTo(b[0]));
    String[] out = new String[pairs.size() * 2];
    for (int i = 0; i < pairs.size(); i++) {
      out[2 * i] = pairs.get(i)[0];
      out[2 * i + 1] = pairs.get(i)[1];
    }
    return out;
  }

  /** The labels every series of a target carries, as a Kubernetes service discovery adds them. */
  public String[][] targetLabels(int target) {
    String job = JOBS[target % JOBS.length];
    long h = Hash.mix(seed, target, 7);
    return new String[][] {
        {"cluster", "cluster-" + target / 200},
        {"instance", "10." + ((target >> 16) & 255) + "." + ((target >> 8) & 255) + "."
            + (target & 255) + ":9100"},
        {"job", job},
        {"namespace", "ns-" + target % 23},
        {"node", "node-" + target / 3},
        {"pod", job + "-" + base36(h, 9) + "-" + base36(Hash.mix(h), 5)},
    };
  }

  private static String base36(long h, int length) {
    String s = Long.toString(h >>> 1, 36);
    return s.length() > length ? s.substring(0, length) : s;
  }

  public long timestampMs(int series, int round) {
    int target = series / template.size();
    long offset = Long.remainderUnsigned(Hash.mix(seed, target, 11), 10_000);
    return startMs + (long) round * intervalMs + offset;
  }

  /** The value of a series at a round; see {@link MetricKind} for the shapes. */
  public double value(int series, int round) {
    SeriesTemplate t = template(series);
    double u1 = Hash.unit(Hash.mix(seed, series, 1));
    double u2 = Hash.unit(Hash.mix(seed, series, 2));
    double intervalS = intervalMs / 1000.0;
    switch (t.kind()) {
      case COUNTER: {
        double rate = Math.pow(10, u1 * 6 - 2);
        double jitter = Hash.unit(Hash.mix(seed, series, 1000L + round));
        // Monotonic: each round adds intervalS * rate, the jitter moves it by at most half of it.
        double v = Math.floor(u2 * 1e6) + rate * intervalS * (round + 0.5 * jitter);
        return t.name().endsWith("seconds_total") || t.name().endsWith("_sum")
            ? Math.round(v * 100) / 100.0 : Math.floor(v);
      }
      case GAUGE_BYTES: {
        int hold = 1 + (int) (u1 * 8);
        long step = round / hold;
        double walk = Hash.unit(Hash.mix(seed, series, 2000L + step));
        return 4096.0 * (Math.floor(u2 * (1 << 20)) + Math.floor(walk * 5000));
      }
      case GAUGE_FRACTION: {
        double wave = Math.sin(2 * Math.PI * round / 40.0 + u1 * 6.28);
        double noise = Hash.unit(Hash.mix(seed, series, 3000L + round));
        return Math.round((u2 * 4 * (1 + 0.3 * wave) + 0.1 * noise) * 100) / 100.0;
      }
      case GAUGE_FLOAT:
        return u2 * 10 * (0.5 + Hash.unit(Hash.mix(seed, series, 4000L + round)));
      case CONSTANT:
        return t.name().equals("up") ? 1 : Math.floor(u2 * 1e9);
      case BUCKET:
      case HIST_COUNT:
        return Math.floor(histogramCount(series, round) * (t.kind() == MetricKind.BUCKET
            ? t.bucketFraction() : 1.0));
      case HIST_SUM: {
        double mean = 0.05 + 0.45 * Hash.unit(histogramKey(series, 3));
        return Math.round(histogramCount(series, round) * mean * 1000) / 1000.0;
      }
      default:
        throw new IllegalStateException(t.kind().toString());
    }
  }

  /** Observations so far of the histogram a series belongs to; monotonic in round. */
  private double histogramCount(int series, int round) {
    double rate = Math.pow(10, 3 * Hash.unit(histogramKey(series, 1)));
    double jitter = Hash.unit(Hash.mix(histogramKey(series, 2), round));
    return Math.floor(1e5 * Hash.unit(histogramKey(series, 4))
        + rate * intervalMs / 1000.0 * (round + 0.5 * jitter));
  }

  private long histogramKey(int series, int salt) {
    int target = series / template.size();
    return Hash.mix(seed, target * 64L + template(series).group(), 5000L + salt);
  }

  /** Index of the first series of a target with the given template name and extra labels. */
  public int find(int target, String name, String... extraLabels) {
    for (int i = 0; i < template.size(); i++) {
      SeriesTemplate t = template.get(i);
      if (t.name().equals(name) && Arrays.equals(t.extraLabels(), extraLabels)) {
        return target * template.size() + i;
      }
    }
    throw new IllegalArgumentException("no series " + name + Arrays.toString(extraLabels));
  }
}
