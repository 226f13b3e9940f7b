package dev.tsdb.bench;

import dev.tsdb.bench.gen.Fleet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line options: {@code <scenario> [--name=value | --name value]...}. */
public final class Options {
  /** The JVM flags ./tsdb starts the server with (TSDB_DEFAULT_JAVA_OPTS there; kept equal). */
  static final List<String> TSDB_DEFAULT_JVM_OPTS = List.of("-XX:MinHeapFreeRatio=10",
      "-XX:MaxHeapFreeRatio=30", "-XX:G1PeriodicGCInterval=30000");
  /** A --tsdb-heaps value meaning: no -Xmx, the JVM's default maximum heap. */
  static final String DEFAULT_HEAP = "default";

  static final String USAGE = String.join("\n",
      "usage: java -jar tsdb-bench.jar <ingest|query|disk|restart|all|steady> [options]",
      "",
      "Starts our server and Prometheus one after the other on this machine, pushes the same",
      "pre-encoded remote-write data into each and reports their ratios.",
      "  ingest  samples/s, CPU per sample, memory per series and right after the burst",
      "  query   ingest, then the query set's first (cold) runs, its warmed-up latencies and",
      "          a comparison of the answers",
      "  disk    ingest, then WAL and snapshot block sizes per sample",
      "  restart ingest, then start-to-ready after a SIGKILL (and the queries' first runs",
      "          after it) and after a clean stop, with the bytes the restarts read",
      "  all     all of the above",
      "  steady  memory under real-time load: every round is sent when the wall clock reaches",
      "          it (240 rounds at 15 s = one hour), to all servers at once (their load is",
      "          light), sampling their RSS; no queries; one repetition",
      "",
      "options (defaults in brackets):",
      "  --series=N             active series [100000]",
      "  --rounds=N             scrapes per series, one per interval; at most 240 so that the",
      "                         data spans under an hour and Prometheus accepts it all [240]",
      "  --interval=SECONDS     scrape interval [15]",
      "  --senders=N            concurrent sender threads (remote-write shards) [4]",
      "  --batch=N              max samples per request (max_samples_per_send) [2000]",
      "  --seed=N               generator seed [42]",
      "  --settle=SECONDS       idle pause before the empty reading; the settled reading is",
      "                         taken this long after the burst [10]",
      "  --after-burst=LIST     further memory readings, seconds after the last ingest",
      "                         answer, no forced GC [3,60]",
      "  --repeat=N             repetitions; server order alternates between them [1]",
      "  --sample-every=SECONDS steady: RSS sampling period [60]",
      "  --warmup=N             unmeasured runs of each query (JIT warm-up) [5]",
      "  --warmup-seconds=S     ... and for at least this long (at most 2000 runs) [3]",
      "  --query-repeat=N       measured runs of each query [20]",
      "  --first-runs=N         cold runs of each query recorded after ingestion and after",
      "                         the SIGKILL restart, with no warm-up [5]",
      "  --servers=LIST         which servers, of tsdb,prometheus [tsdb,prometheus]",
      "  --tsdb-jar=PATH        [tsdb-server/target/tsdb-server.jar]",
      "  --tsdb-heaps=LIST      one tsdb run per -Xmx value, e.g. 2g,512m; `default` runs",
      "                         without -Xmx, as ./tsdb does [default]",
      "  --tsdb-cds=BOOL        as ./tsdb with TSDB_CDS=1, our server maps a class-data-sharing",
      "                         archive written at an earlier clean stop; here a short training",
      "                         run writes it first [false]",
      "  --tsdb-jvm-opts=OPTS   JVM options for our server, space separated; the default is",
      "                         ./tsdb's, without -Xmx:",
      "                         [" + String.join(" ", TSDB_DEFAULT_JVM_OPTS) + "]",
      "  --prometheus=LIST      Prometheus binaries, each a reference server of its own,",
      "                         e.g. /usr/bin/prometheus,/opt/prometheus3/usr/bin/prometheus",
      "                         (columns named by version when several) [/usr/bin/prometheus]",
      "  --promtool=PATH        lists snapshot blocks [the promtool beside each Prometheus;",
      "                         for our server, beside the first]",
      "  --work-dir=PATH        data directories go here [a new temp dir]",
      "  --keep                 keep the work dir (data and server logs)",
      "  --out=FILE             also write the Markdown report here",
      "  --json=FILE            also write the figures as JSON here",
      "");

  String scenario;
  int series = 100_000;
  int rounds = 240;
  int intervalSeconds = 15;
  int senders = 4;
  int batch = 2000;
  long seed = 42;
  Duration settle = Duration.ofSeconds(10);
  List<Duration> afterBurst = List.of(Duration.ofSeconds(3), Duration.ofSeconds(60));
  int repeat = 1;
  Duration samplePeriod = Duration.ofSeconds(60);
  int warmup = 5;
  Duration warmupTime = Duration.ofSeconds(3);
  int queryRepeat = 20;
  int firstRuns = 5;
  List<String> servers = List.of("tsdb", "prometheus");
  Path tsdbJar = Path.of("tsdb-server/target/tsdb-server.jar");
  List<String> tsdbHeaps = List.of(DEFAULT_HEAP);
  List<String> tsdbJvmOpts = TSDB_DEFAULT_JVM_OPTS;
  /**
   * As ./tsdb with TSDB_CDS=1: a class-data-sharing archive from an earlier clean run (a training
   * run here). Off by default as in ./tsdb (queries ran 5-10x slower with it on Java 17).
   */
  boolean tsdbCds = false;
  List<Path> prometheus = List.of(Path.of("/usr/bin/prometheus"));
  /** Null: the promtool next to each Prometheus binary. */
  Path promtool;
  Path workDir;
  boolean keep;
  Path out;
  Path json;

  /**
   * The data of a run started at {@code nowMs}: the tool passes the wall clock, the JMH
   * QueryBench a fixed instant, so both build identical series and timestamps relative to now.
   */
  Fleet fleet(long nowMs) {
    return Fleet.endingBefore(nowMs, series, seed, rounds, intervalSeconds * 1000);
  }

  boolean queries() {
    return scenario.equals("query") || scenario.equals("all");
  }

  boolean steady() {
    return scenario.equals("steady");
  }

  boolean disk() {
    return scenario.equals("disk") || scenario.equals("all");
  }

  boolean restart() {
    return scenario.equals("restart") || scenario.equals("all");
  }

  /** Cold runs of each query to record after ingestion; 0 where no queries run. */
  int firstRunsAfterIngest() {
    return queries() || restart() ? firstRuns : 0;
  }

  /** The promtool that lists snapshots made by the server run from {@code prometheusBinary}. */
  Path promtoolFor(Path prometheusBinary) {
    return promtool != null ? promtool : prometheusBinary.resolveSibling("promtool");
  }

  static Options parse(String... args) {
    Options o = new Options();
    Map<String, String> named = new LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        positional.add(a);
        continue;
      }
      int eq = a.indexOf('=');
      if (eq > 0) {
        named.put(a.substring(2, eq), a.substring(eq + 1));
      } else if (a.equals("--keep") || a.equals("--help")) {
        named.put(a.substring(2), "true");
      } else if (i + 1 < args.length) {
        named.put(a.substring(2), args[++i]);
      } else {
        throw new IllegalArgumentException("missing value for " + a);
      }
    }
    if (named.containsKey("help")) {
      throw new IllegalArgumentException("");
    }
    if (positional.size() != 1) {
      throw new IllegalArgumentException("expected exactly one scenario, got " + positional);
    }
    o.scenario = positional.get(0);
    if (!List.of("ingest", "query", "disk", "restart", "all", "steady").contains(o.scenario)) {
      throw new IllegalArgumentException("unknown scenario " + o.scenario);
    }
    for (Map.Entry<String, String> e : named.entrySet()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case "series": o.series = positive(e.getKey(), v); break;
        case "rounds": o.rounds = positive(e.getKey(), v); break;
        case "interval": o.intervalSeconds = positive(e.getKey(), v); break;
        case "senders": o.senders = positive(e.getKey(), v); break;
        case "batch": o.batch = positive(e.getKey(), v); break;
        case "seed": o.seed = Long.parseLong(v); break;
        case "settle": o.settle = seconds(v); break;
        case "after-burst": o.afterBurst = list(v).stream().map(Options::seconds).toList();
          break;
        case "repeat": o.repeat = positive(e.getKey(), v); break;
        case "sample-every": o.samplePeriod = Duration.ofSeconds(positive(e.getKey(), v)); break;
        case "warmup": o.warmup = Integer.parseInt(v); break;
        case "warmup-seconds": o.warmupTime = Duration.ofMillis((long) (Double.parseDouble(v)
            * 1000)); break;
        case "query-repeat": o.queryRepeat = positive(e.getKey(), v); break;
        case "first-runs": o.firstRuns = positive(e.getKey(), v); break;
        case "servers": o.servers = list(v); break;
        case "tsdb-jar": o.tsdbJar = Path.of(v); break;
        case "tsdb-heaps": o.tsdbHeaps = list(v); break;
        case "tsdb-cds": o.tsdbCds = Boolean.parseBoolean(v); break;
        case "tsdb-jvm-opts": o.tsdbJvmOpts = v.isBlank() ? List.of()
            : Arrays.asList(v.trim().split("\\s+")); break;
        case "prometheus": o.prometheus = list(v).stream().map(Path::of).toList(); break;
        case "promtool": o.promtool = Path.of(v); break;
        case "work-dir": o.workDir = Path.of(v); break;
        case "keep": o.keep = Boolean.parseBoolean(v); break;
        case "out": o.out = Path.of(v); break;
        case "json": o.json = Path.of(v); break;
        default: throw new IllegalArgumentException("unknown option --" + e.getKey());
      }
    }
    for (String s : o.servers) {
      if (!s.equals("tsdb") && !s.equals("prometheus")) {
        throw new IllegalArgumentException("unknown server " + s);
      }
    }
    if (o.prometheus.isEmpty()) {
      throw new IllegalArgumentException("--prometheus needs at least one binary");
    }
    if ((long) o.rounds * o.intervalSeconds > 3600) {
      throw new IllegalArgumentException("rounds x interval must stay within an hour: Prometheus"
          + " rejects samples older than its newest sample minus one hour");
    }
    return o;
  }

  private static Duration seconds(String v) {
    return Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
  }

  private static int positive(String name, String v) {
    int n = Integer.parseInt(v);
    if (n <= 0) {
      throw new IllegalArgumentException("--" + name + " must be positive");
    }
    return n;
  }

  private static List<String> list(String v) {
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      if (!s.isBlank()) {
        out.add(s.trim());
      }
    }
    return out;
  }
}
