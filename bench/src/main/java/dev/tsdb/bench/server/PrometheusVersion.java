package dev.tsdb.bench.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What `prometheus --version` says about a binary: the release (e.g. "3.5.3+ds1") and the Go
 * toolchain it was built with. The report names reference servers by {@link #shortName()} when
 * one run compares several releases, and prints the full version in its header.
 */
public record PrometheusVersion(String release, String goVersion) {
  private static final Pattern RELEASE = Pattern.compile("version (\\S+)");
  private static final Pattern GO = Pattern.compile("go version:\\s*(\\S+)");
  private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+\\.\\d+)");

  /** Runs {@code binary --version}; "unknown" parts where it prints nothing recognisable. */
  public static PrometheusVersion of(Path binary) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return parse(out);
  }

  static PrometheusVersion parse(String versionOutput) {
    Matcher r = RELEASE.matcher(versionOutput);
    Matcher g = GO.matcher(versionOutput);
    return new PrometheusVersion(r.find() ? r.group(1) : "unknown",
        g.find() ? g.group(1) : "unknown");
  }

  /** "2.42", "3.5": major.minor, enough to tell the references apart in column headers. */
  public String shortName() {
    Matcher m = MAJOR_MINOR.matcher(release);
    return m.find() ? m.group(1) : release;
  }
}
