package dev.tsdb.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tsdb.bench.report.Report;
import java.io.IOException;
import java.nio.file.Files;

/**
 * Command-line entry point; see {@link Options#USAGE}. Exit codes: 0 report written, 1 the run
 * failed, 2 bad command line.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      if (e.getMessage().isEmpty()) {
        System.out.print(Options.USAGE);
        return 0;
      }
      System.err.println("tsdb-bench: " + e.getMessage());
      System.err.print(Options.USAGE);
      return 2;
    }
    try {
      if (options.steady()) {
        String md = new Bench(options, System.err).runSteady();
        System.out.print(md);
        if (options.out != null) {
          Files.writeString(options.out, md);
        }
        return 0;
      }
      Report report = new Bench(options, System.err).run();
      String md = report.markdown();
      System.out.print(md);
      if (options.out != null) {
        Files.writeString(options.out, md);
      }
      if (options.json != null) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .writeValue(options.json.toFile(), report.data());
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      System.err.println("tsdb-bench: " + e);
      e.printStackTrace();
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
