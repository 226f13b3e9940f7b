package dev.tsdb.blocks.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.blocks.Block;
import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkMeta;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import dev.tsdb.testkit.reference.PrometheusRelease;
import dev.tsdb.testkit.reference.Promtool;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Has promtool (2.42 and 3.5) build blocks from OpenMetrics text and checks that we read back
 * every sample.
 */
class WeReadPromtoolBlocksIT {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(PrometheusRelease.class)
  void everySampleOfPromtoolBlocksReadsBack(PrometheusRelease release) throws Exception {
    Random rnd = new Random(3);
    TreeMap<Labels, List<long[]>> want = new TreeMap<>(Utf8Order::compare);
    StringBuilder om = new StringBuilder();
    long start = 1_700_000_000_000L; // samples span ~5h, so promtool cuts several 2h blocks
    String[][] families = {{"http_requests_total", "counter"}, {"temperature", "gauge"},
        {"queue_depth", "gauge"}};
    for (String[] fam : families) {
      String name = fam[0];
      String family = fam[1].equals("counter") ? name.substring(0, name.length() - 6) : name;
      om.append("# HELP ").append(family).append(" Generated.\n");
      om.append("# TYPE ").append(family).append(' ').append(fam[1]).append('\n');
      for (int s = 0; s < 25; s++) {
        Labels l = Labels.of("__name__", name, "instance", "host-" + s, "zone",
            s % 3 == 0 ? "eu-\u00fc" : "us");
        List<long[]> samples = new ArrayList<>();
        long t = start + rnd.nextInt(30_000);
        double v = rnd.nextInt(100);
        while (t < start + 5 * 3_600_000L) {
          samples.add(new long[] {t, Double.doubleToRawLongBits(v)});
          om.append(name).append("{instance=\"host-").append(s).append("\",zone=\"")
              .append(l.get("zone")).append("\"} ").append(v).append(' ')
              .append(t / 1000).append('.').append(String.format("%03d", t % 1000)).append('\n');
          t += 30_000 + rnd.nextInt(1000);
          v = fam[1].equals("counter") ? v + rnd.nextInt(5) : Math.round(rnd.nextGaussian() * 1e6) / 1e3;
        }
        want.put(l, samples);
      }
    }
    om.append("# EOF\n");
    Path input = dir.resolve("input.om");
    Files.writeString(input, om.toString(), StandardCharsets.UTF_8);
    Path data = dir.resolve("data");
    Promtool.of(release).run(dir, "tsdb", "create-blocks-from", "openmetrics", "input.om", "data").check();

    List<Path> blockDirs = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(data)) {
      for (Path p : ds) {
        if (Files.exists(p.resolve(BlockMeta.FILE_NAME))) {
          blockDirs.add(p);
        }
      }
    }
    blockDirs.sort(null);
    assertTrue(blockDirs.size() >= 3, "expected several blocks, got " + blockDirs);

    Map<Labels, List<long[]>> got = new TreeMap<>(Utf8Order::compare);
    long totalSamples = 0;
    for (Path b : blockDirs) {
      try (Block block = Block.open(b, Block.OpenOptions.PARANOID)) {
        totalSamples += block.meta().stats().numSamples();
        try (Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
          SeriesSet ss = q.select(true, null, Matcher.re("__name__", ".+"));
          SampleIterator it = null;
          Labels prev = null;
          while (ss.next()) {
            Labels l = ss.at().labels();
            if (prev != null) {
              assertTrue(Utf8Order.compare(prev, l) < 0, "sorted: " + prev + " then " + l);
            }
            prev = l;
            it = ss.at().iterator(it);
            List<long[]> out = got.computeIfAbsent(l, x -> new ArrayList<>());
            while (it.next() != ValueType.NONE) {
              assertTrue(it.t() >= block.minTime() && it.t() < block.maxTime());
              out.add(new long[] {it.t(), Double.doubleToRawLongBits(it.v())});
            }
            assertEquals(null, it.error());
          }
          assertEquals(null, ss.error());
          assertEquals(List.of("instance", "zone", "__name__").stream().sorted().toList(),
              q.labelNames());
        }
        try (ChunkQuerier cq = block.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
          ChunkSeriesSet cs = cq.select(true, null, Matcher.eq("zone", "us"));
          while (cs.next()) {
            for (ChunkMeta c : cs.at().chunks()) {
              assertEquals(1, c.encoding());
              assertTrue(c.numSamples() > 0);
            }
          }
        }
      }
    }
    long wantSamples = want.values().stream().mapToLong(List::size).sum();
    assertEquals(wantSamples, totalSamples);
    assertEquals(want.keySet(), got.keySet());
    for (var e : want.entrySet()) {
      List<long[]> g = got.get(e.getKey());
      assertEquals(e.getValue().size(), g.size(), e.getKey().toString());
      for (int i = 0; i < g.size(); i++) {
        assertEquals(e.getValue().get(i)[0], g.get(i)[0], e.getKey() + " #" + i);
        assertEquals(e.getValue().get(i)[1], g.get(i)[1], e.getKey() + " #" + i);
      }
    }
  }
}
