package dev.tsdb.blocks.db;

import dev.tsdb.blocks.BlockMeta;
import dev.tsdb.head.Head;
import dev.tsdb.head.HeadOptions;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.storage.Appender;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.Querier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Timed comparison (not a unit test) of the two ways to persist a head range as a block: the
 * sample view re-encoded ({@link QuerierBlockWriter#write}) and the head's chunk view
 * ({@link QuerierBlockWriter#writeChunks}). Run, e.g.:
 *
 * <pre>
 * java -Xmx2g -cp ... dev.tsdb.blocks.db.HeadCutHarness [series]
 * </pre>
 */
public final class HeadCutHarness {
  private HeadCutHarness() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    long range = 2 * DbOptions.HOUR;
    Head h = new Head(new HeadOptions().clock(() -> Long.MAX_VALUE / 2).chunkRangeMs(range));
    Random r = new Random(1);
    Appender app = h.appender();
    long[] refs = new long[n];
    for (long t = 0; t < range + range / 2; t += 15_000) {
      for (int i = 0; i < n; i++) {
        Labels ls = refs[i] == 0 ? Labels.of("__name__", "m_" + (i % 100), "instance",
            "host-" + i, "job", "node") : null;
        refs[i] = app.append(refs[i], ls, t, i % 3 == 0 ? t / 1000 : r.nextInt(1000));
      }
      app.commit();
    }
    Path dir = Files.createTempDirectory("headcut");
    for (int round = 0; round < 4; round++) {
      long t0 = System.nanoTime();
      BlockMeta a;
      try (Querier q = h.querier(0, range - 1)) {
        a = QuerierBlockWriter.write(dir, q, 0, range);
      }
      long t1 = System.nanoTime();
      BlockMeta b;
      try (ChunkQuerier q = h.chunkQuerier(0, range - 1)) {
        b = QuerierBlockWriter.writeChunks(dir, q, 0, range);
      }
      long t2 = System.nanoTime();
      System.out.printf("round %d: samples re-encoded %d ms (%d samples, %d chunks), chunk view %d"
          + " ms (%d samples, %d chunks)%n", round, (t1 - t0) / 1_000_000,
          a.stats().numSamples(), a.stats().numChunks(), (t2 - t1) / 1_000_000,
          b.stats().numSamples(), b.stats().numChunks());
      BlockDirs.deleteRecursively(dir.resolve(a.ulid()));
      BlockDirs.deleteRecursively(dir.resolve(b.ulid()));
    }
    BlockDirs.deleteRecursively(dir);
  }
}
