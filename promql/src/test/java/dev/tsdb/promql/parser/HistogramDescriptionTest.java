package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tsdb.index.histogram.CounterResetHint;
import dev.tsdb.index.histogram.FloatHistogram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class HistogramDescriptionTest {
  @Test
  void everyField() {
    FloatHistogram h = HistogramDescription.parse("{{schema:1 sum:-5.5 count:4 z_bucket:1 "
        + "z_bucket_w:0.001 buckets:[1 0 2] offset:-2 n_buckets:[3] n_offset:4 "
        + "counter_reset_hint:gauge}}");
    assertEquals(1, h.schema);
    assertEquals(-5.5, h.sum);
    assertEquals(4, h.count);
    assertEquals(1, h.zeroCount);
    assertEquals(0.001, h.zeroThreshold);
    assertArrayEquals(new int[] {-2, 3}, h.positiveSpans);
    assertArrayEquals(new double[] {1, 0, 2}, h.positiveBuckets);
    assertArrayEquals(new int[] {4, 1}, h.negativeSpans);
    assertArrayEquals(new double[] {3}, h.negativeBuckets);
    assertEquals(CounterResetHint.GAUGE, h.counterResetHint);
  }

  @Test
  void emptyAndOddlySpaced() {
    assertEquals(new FloatHistogram(), HistogramDescription.parse("{{}}"));
    assertEquals(new FloatHistogram(), HistogramDescription.parse("{{ }}"));
    FloatHistogram h = HistogramDescription.parse("{{SUM:Inf  count:NaN buckets:[ 1e3  0x10 ] }}");
    assertEquals(Double.POSITIVE_INFINITY, h.sum);
    assertTrue(Double.isNaN(h.count));
    assertArrayEquals(new double[] {1000, 16}, h.positiveBuckets);
    assertEquals(60.0, HistogramDescription.parse("{{sum:1m}}").sum);
  }

  @Test
  void customBuckets() {
    FloatHistogram h = HistogramDescription.parse(
        "{{schema:-53 count:3 sum:5 custom_values:[1 5 10] buckets:[1 2]}}");
    assertTrue(h.usesCustomBuckets());
    assertArrayEquals(new double[] {1, 5, 10}, h.customValues);
    assertArrayEquals(new int[] {0, 2}, h.positiveSpans);
  }

  @Test
  void hints() {
    assertEquals(CounterResetHint.UNKNOWN,
        HistogramDescription.parse("{{counter_reset_hint:unknown}}").counterResetHint);
    assertEquals(CounterResetHint.COUNTER_RESET,
        HistogramDescription.parse("{{counter_reset_hint:reset}}").counterResetHint);
    assertEquals(CounterResetHint.NOT_COUNTER_RESET,
        HistogramDescription.parse("{{counter_reset_hint:not_reset}}").counterResetHint);
  }

  @Test
  void errors() {
    for (String bad : List.of("{{sum:1", "{{sum 1}}", "{{foo:1}}", "{{sum:1 sum:2}}",
        "{{buckets:[]}}", "{{buckets:[1,2]}}", "{{schema:1.5}}", "{{counter_reset_hint:x}}",
        "{{sum:abc}}", "{{sum:1}} x", "{sum:1}}", "{{sum:+1}}")) {
      assertThrows(ParseException.class, () -> HistogramDescription.parse(bad), bad);
    }
    ParseException e = assertThrows(ParseException.class,
        () -> HistogramDescription.parse("{{sum:1 sum:2}}"));
    assertEquals("duplicate key \"sum\" in histogram", e.errors().get(0).message());
  }

  /** Every histogram item in the upstream scripts parses (and expands). */
  @Test
  void everyItemOfTheConformanceScriptsParses() throws IOException {
    Path dir = Stream.of("/work/shared/promqltest", "../../shared/promqltest",
        "../shared/promqltest").map(Path::of).filter(Files::isDirectory).findFirst().orElse(null);
    assumeTrue(dir != null, "conformance scripts not available");
    List<String> failures = new ArrayList<>();
    int items = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".test")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int n = 0; n < lines.size(); n++) {
          String line = lines.get(n);
          int at = line.indexOf("{{");
          while (at >= 0) {
            try {
              HistogramSequence.Item item = HistogramSequence.parse(line, at);
              items++;
              at = line.indexOf("{{", item.end());
            } catch (ParseException e) {
              failures.add(f.getFileName() + ":" + (n + 1) + ": " + e.getMessage());
              at = line.indexOf("{{", at + 2);
            }
          }
        }
      }
    }
    assertTrue(items > 700, "only " + items + " items found");
    assertEquals(List.of(), failures);
  }
}
