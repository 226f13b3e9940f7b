package dev.tsdb.bench.report;

import dev.tsdb.bench.run.SteadyRun;
import dev.tsdb.bench.server.ProcStats;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Markdown for a {@link SteadyRun}: the memory figures at the end of the run and averaged over
 * its second half (where the head holds most of its data and the servers have reached their
 * steady state), each with its ratio to Prometheus, then the RSS over time.
 */
public final class SteadyReport {
  private SteadyReport() {}

  public static String markdown(String header, SteadyRun.Result r, long series) {
    StringBuilder b = new StringBuilder(header).append('\n');
    List<String> names = r.names();
    List<SteadyRun.Sample> samples = r.samples();
    SteadyRun.Sample last = samples.get(samples.size() - 1);
    long halfMs = last.elapsedMs() / 2;
    List<SteadyRun.Sample> secondHalf = samples.stream()
        .filter(s -> s.elapsedMs() >= halfMs).toList();

    b.append("| lower is better |");
    names.forEach(n -> b.append(' ').append(n).append(" |"));
    List<String[]> ratios = new java.util.ArrayList<>();
    for (String n : names) {
      for (String ref : names) {
        if (!Report.isReference(n) && Report.isReference(ref)) {
          ratios.add(new String[] {n, ref});
        }
      }
    }
    ratios.forEach(p -> b.append(' ').append(p[0]).append(" / ").append(p[1]).append(" |"));
    b.append('\n').append("|---|");
    b.append("---|".repeat(names.size() + ratios.size())).append('\n');
    row(b, "RSS of the empty server, MiB", names, ratios,
        n -> mib(r.empty().get(n).rssBytes()));
    row(b, "RSS at the end, MiB", names, ratios, n -> mib(last.stats().get(n).rssBytes()));
    row(b, "mean RSS over the second half, MiB", names, ratios,
        n -> mib(mean(secondHalf, n)));
    row(b, "highest sampled RSS, MiB", names, ratios, n -> mib(samples.stream()
        .mapToLong(s -> s.stats().get(n).rssBytes()).max().orElse(0)));
    row(b, "peak RSS (VmHWM), MiB", names, ratios, n -> mib(last.stats().get(n).hwmBytes()));
    row(b, "RSS growth per active series at the end, bytes", names, ratios,
        n -> (last.stats().get(n).rssBytes() - r.empty().get(n).rssBytes()) / (double) series);
    row(b, "mean RSS growth per active series over the second half, bytes", names, ratios,
        n -> (mean(secondHalf, n) - r.empty().get(n).rssBytes()) / series);
    row(b, "server CPU s over the run", names, ratios,
        n -> (last.stats().get(n).cpuMillis() - r.empty().get(n).cpuMillis()) / 1000.0);
    b.append('\n');
    for (String n : names) {
      b.append(String.format("- %s: %,d samples accepted, %d failed requests%s, largest send"
          + " delay behind schedule %d ms; `%s`%n", n, r.acceptedSamples().get(n),
          r.failedRequests().get(n), r.firstErrors().get(n) == null ? ""
              : " (first: " + r.firstErrors().get(n) + ")", r.maxLagMs().get(n),
          r.descriptions().get(n)));
    }
    b.append("\nRSS over time, MiB:\n\n| minutes |");
    names.forEach(n -> b.append(' ').append(n).append(" |"));
    b.append("\n|---|").append("---|".repeat(names.size())).append('\n');
    int step = Math.max(1, samples.size() / 12);
    for (int i = 0; i < samples.size(); i++) {
      if (i % step != 0 && i != samples.size() - 1) {
        continue;
      }
      SteadyRun.Sample s = samples.get(i);
      b.append(String.format("| %.1f |", s.elapsedMs() / 60_000.0));
      names.forEach(n -> b.append(String.format(" %.1f |", mib(s.stats().get(n).rssBytes()))));
      b.append('\n');
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String label, List<String> names,
      List<String[]> ratios, ToDoubleFunction<String> value) {
    b.append("| ").append(label).append(" |");
    for (String n : names) {
      double v = value.applyAsDouble(n);
      b.append(v >= 1000 ? String.format(" %,.0f |", v) : String.format(" %.1f |", v));
    }
    for (String[] p : ratios) {
      b.append(String.format(" %.2fx |", value.applyAsDouble(p[0]) / value.applyAsDouble(p[1])));
    }
    b.append('\n');
  }

  private static double mean(List<SteadyRun.Sample> samples, String name) {
    return samples.stream().map(s -> s.stats().get(name)).mapToLong(ProcStats::rssBytes)
        .average().orElse(0);
  }

  private static double mib(double bytes) {
    return bytes / 1048576.0;
  }
}
