package dev.tsdb.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.index.format.IndexReader;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.ChunkQuerier;
import dev.tsdb.index.storage.ChunkSeriesSet;
import dev.tsdb.index.storage.CorruptionException;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SampleIterator;
import dev.tsdb.index.storage.SeriesSet;
import dev.tsdb.index.storage.ValueType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real blocks with truncated, flipped and missing files must be refused at open. */
class CorruptBlockTest {
  @TempDir
  Path dir;

  Path pristine;
  Path block;

  @BeforeEach
  void setUp() throws Exception {
    BlockMeta m = BlockWriter.write(dir.resolve("src"),
        BlockTestData.chunked(BlockTestData.generate(200, 500, 11), 120));
    pristine = dir.resolve("src").resolve(m.ulid());
    block = dir.resolve("victim");
    copy(pristine, block);
  }

  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.sorted().toList()) {
        Path d = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(d);
        } else {
          Files.copy(p, d);
        }
      }
    }
  }

  static void flip(Path p, long pos) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
      raf.seek(pos);
      int b = raf.read();
      raf.seek(pos);
      raf.write(b ^ 0x10);
    }
  }

  static void truncate(Path p, long cut) throws IOException {
    byte[] b = Files.readAllBytes(p);
    Files.write(p, Arrays.copyOf(b, (int) (b.length - cut)));
  }

  private void assertCorrupt(Block.OpenOptions opts) {
    CorruptBlockException e = assertThrows(CorruptBlockException.class,
        () -> Block.open(block, opts).close());
    assertEquals(block, e.dir());
  }

  @Test
  void pristineBlockOpensParanoid() throws Exception {
    Block.open(block, Block.OpenOptions.PARANOID).close();
  }

  @Test
  void truncatedIndexIsRefused() throws Exception {
    long size = Files.size(block.resolve("index"));
    for (long cut : new long[] {1, 4, 52, 100, size / 2, size - 3}) {
      Files.copy(pristine.resolve("index"), block.resolve("index"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      truncate(block.resolve("index"), cut);
      assertCorrupt(Block.OpenOptions.DEFAULT);
    }
  }

  @Test
  void flippedIndexTablesAreRefusedAndSeriesBytesByFullCheck() throws Exception {
    Path index = block.resolve("index");
    long symbols;
    long postingsTable;
    long series;
    try (IndexReader r = IndexReader.open(index, false)) {
      symbols = r.toc().symbols() + 12;
      postingsTable = r.toc().postingsTable() + 10;
      series = r.allPostings().get(50) * 16 + 2;
    }
    flip(index, symbols);
    assertCorrupt(Block.OpenOptions.DEFAULT);

    Files.copy(pristine.resolve("index"), index, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    flip(index, postingsTable);
    assertCorrupt(Block.OpenOptions.DEFAULT);

    Files.copy(pristine.resolve("index"), index, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    flip(index, Files.size(index) - 20); // inside the TOC
    assertCorrupt(Block.OpenOptions.DEFAULT);

    Files.copy(pristine.resolve("index"), index, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    flip(index, series);
    Block.open(block).close(); // cheap open does not read series entries
    assertCorrupt(Block.OpenOptions.PARANOID);
  }

  @Test
  void truncatedChunksAreRefused() throws Exception {
    Path seg = block.resolve("chunks/000001");
    truncate(seg, 2);
    assertCorrupt(Block.OpenOptions.DEFAULT);
    truncate(seg, Files.size(seg) - 5); // shorter than the segment header
    assertCorrupt(Block.OpenOptions.DEFAULT);
    Files.delete(seg);
    assertCorrupt(Block.OpenOptions.DEFAULT); // chunks referenced but no segment at all
  }

  @Test
  void flippedChunkIsFoundByFullCheckAndReportedByIterators() throws Exception {
    Path seg = block.resolve("chunks/000001");
    flip(seg, Files.size(seg) / 2);
    Block.open(block).close();
    assertCorrupt(Block.OpenOptions.PARANOID);

    try (Block b = Block.open(block); Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, null, Matcher.re("__name__", ".+"));
      Exception err = null;
      SampleIterator it = null;
      while (ss.next() && err == null) {
        it = ss.at().iterator(it);
        while (it.next() != ValueType.NONE) {
          // drain
        }
        err = it.error();
      }
      assertNotNull(err, "the damaged chunk's checksum must fail on read");
      assertTrue(err.getMessage().contains("checksum"), err.getMessage());
    }
  }

  @Test
  void damagedPostingsListIsAnErrorForBothViews() throws Exception {
    // Postings lists other than the all-series one are read at select time only. The chunk view
    // (compaction, streamed remote read) used to answer "no series" for a damaged one.
    Path index = block.resolve("index");
    String name;
    String value;
    long off;
    try (IndexReader r = IndexReader.open(index, false)) {
      name = r.labelNames().get(r.labelNames().size() - 1);
      value = r.labelValues(name).get(0);
      off = r.postingsOffset(name, value);
    }
    flip(index, off + 7); // the list's series count no longer matches its length
    try (Block b = Block.open(block);
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        ChunkQuerier cq = b.chunkQuerier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, null, Matcher.eq(name, value));
      assertFalse(ss.next());
      assertInstanceOf(CorruptionException.class, ss.error());
      ChunkSeriesSet cs = cq.select(true, null, Matcher.eq(name, value));
      assertFalse(cs.next());
      assertInstanceOf(CorruptionException.class, cs.error());
      assertTrue(cs.error().getMessage().contains("malformed postings list"),
          cs.error().getMessage());
    }
  }

  @Test
  void flippedSegmentHeaderIsRefused() throws Exception {
    flip(block.resolve("chunks/000001"), 2);
    assertCorrupt(Block.OpenOptions.DEFAULT);
  }

  @Test
  void brokenMetaAndTombstonesAreRefused() throws Exception {
    Files.writeString(block.resolve("meta.json"), "{\"ulid\": ");
    assertCorrupt(Block.OpenOptions.DEFAULT);
    Files.delete(block.resolve("meta.json"));
    assertCorrupt(Block.OpenOptions.DEFAULT);
    Files.copy(pristine.resolve("meta.json"), block.resolve("meta.json"));
    Block.open(block).close();

    truncate(block.resolve("tombstones"), 1);
    assertCorrupt(Block.OpenOptions.DEFAULT);
    Files.delete(block.resolve("tombstones"));
    Block.open(block).close(); // no tombstones file means none

    Files.delete(block.resolve("index"));
    assertCorrupt(Block.OpenOptions.DEFAULT);
  }

  @Test
  void emptyIndexFileIsRefused() throws Exception {
    Files.write(block.resolve("index"), new byte[0]);
    assertCorrupt(Block.OpenOptions.DEFAULT);
    try (Stream<Path> s = Files.walk(block.resolve("chunks"))) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    assertCorrupt(Block.OpenOptions.DEFAULT);
  }
}
