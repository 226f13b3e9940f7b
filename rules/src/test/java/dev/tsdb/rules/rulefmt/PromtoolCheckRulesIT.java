package dev.tsdb.rules.rulefmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.rules.PromQL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Cross-checks our rule file validation against Debian's {@code promtool check rules} (2.42):
 * the example files pass both, every invalid file fails both, and where 2.42 and 3.x agree on
 * the message, our LEGACY-mode messages equal promtool's line for line.
 */
class PromtoolCheckRulesIT {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  private static final Path DIR = RuleFileParserTest.DIR;

  /**
   * Files whose promtool 2.42 output differs from Prometheus 3 by design: 3.x reports both node
   * positions for "neither record nor alert", checks braces in record names, and names the rule
   * type rulefmt.Rule instead of rulefmt.RuleNode.
   */
  private static final Set<String> KNOWN_2X_DIFFERENCES =
      Set.of("neither.yml", "braces_in_record.yml", "unknown_field.yml");

  private record Result(int exitCode, List<String> errorLines) {}

  private static Result promtool(Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "rules", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    List<String> lines = new ArrayList<>();
    // Error messages start with "FILE: "; continuation lines of multi-line messages are indented.
    for (String line : out.split("\n")) {
      if (line.startsWith(file + ": ")) {
        lines.add(line.substring(file.toString().length() + 2));
      } else if (line.startsWith("  line ") && !lines.isEmpty()) {
        lines.set(lines.size() - 1, lines.get(lines.size() - 1) + "\n" + line);
      }
    }
    return new Result(rc, lines);
  }

  private static List<Path> files(String sub) throws IOException {
    try (Stream<Path> s = Files.list(DIR.resolve(sub))) {
      return s.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  @Test
  void validExamplesPassPromtoolAndUs() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool not installed");
    RuleFileParser ours = new RuleFileParser(PromQL::format, NameValidation.UTF8);
    List<Path> valid = files("valid");
    assertFalse(valid.isEmpty());
    for (Path f : valid) {
      Result r = promtool(f);
      assertEquals(0, r.exitCode(), "promtool rejected " + f + ": " + r.errorLines());
      ours.parseFile(f);
    }
  }

  @Test
  void invalidFilesFailPromtoolAndUsWithTheSameMessages() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(PROMTOOL), "promtool not installed");
    RuleFileParser legacy = new RuleFileParser(PromQL::format, NameValidation.LEGACY);
    RuleFileParser utf8 = new RuleFileParser(PromQL::format, NameValidation.UTF8);
    List<Path> invalid = files("invalid");
    assertTrue(invalid.size() >= 10);
    int compared = 0;
    for (Path f : invalid) {
      Result r = promtool(f);
      assertEquals(1, r.exitCode(), "promtool accepted " + f);
      if (f.getFileName().toString().equals("bad_promql.yml") && !PromQL.isRealParser()) {
        continue; // needs the PromQL parser
      }
      RuleFileException ours = assertThrows(RuleFileException.class, () -> legacy.parseFile(f),
          "we accepted " + f);
      assertThrows(RuleFileException.class, () -> utf8.parseFile(f), "we accepted " + f);
      if (KNOWN_2X_DIFFERENCES.contains(f.getFileName().toString())) {
        continue;
      }
      // Go iterates label maps in random order, so compare as sets.
      Set<String> theirs = new TreeSet<>(r.errorLines());
      Set<String> mine = new TreeSet<>();
      ours.errors().forEach(e -> mine.add(e.message()));
      assertEquals(theirs, mine, f.toString());
      compared++;
    }
    assertTrue(compared >= 10, "compared " + compared);
  }
}
