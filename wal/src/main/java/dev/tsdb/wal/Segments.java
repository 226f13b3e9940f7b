package dev.tsdb.wal;

import dev.tsdb.index.io.FileOps;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Lists segment files of a directory and fsyncs directories. */
public final class Segments {
  private Segments() {}

  /**
   * All segments of {@code dir} in index order (files whose whole name is a decimal number).
   *
   * @throws IOException if the indexes have a gap: a WAL with a hole cannot be replayed safely
   */
  public static List<SegmentRef> list(Path dir) throws IOException {
    List<Integer> indexes = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        int idx = parseIndex(p.getFileName().toString());
        if (idx >= 0 && Files.isRegularFile(p)) {
          indexes.add(idx);
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    }
    indexes.sort(null);
    List<SegmentRef> refs = new ArrayList<>(indexes.size());
    for (int i = 0; i < indexes.size(); i++) {
      if (i > 0 && indexes.get(i) != indexes.get(i - 1) + 1) {
        throw new IOException("segments in " + dir + " are not sequential: "
            + indexes.get(i - 1) + " then " + indexes.get(i));
      }
      refs.add(new SegmentRef(dir, indexes.get(i)));
    }
    return refs;
  }

  /** Segments of {@code dir} with index in {@code [first, last]}; -1 leaves that end open. */
  public static List<SegmentRef> list(Path dir, int first, int last) throws IOException {
    List<SegmentRef> out = new ArrayList<>();
    for (SegmentRef r : list(dir)) {
      if ((first < 0 || r.index() >= first) && (last < 0 || r.index() <= last)) {
        out.add(r);
      }
    }
    return out;
  }

  public static SegmentRange range(Path dir) throws IOException {
    List<SegmentRef> refs = list(dir);
    if (refs.isEmpty()) {
      return SegmentRange.EMPTY;
    }
    return new SegmentRange(refs.get(0).index(), refs.get(refs.size() - 1).index());
  }

  /** The index a segment file name encodes, or -1 (Go's strconv.Atoi accepts only digits here). */
  static int parseIndex(String name) {
    if (name.isEmpty() || name.length() > 9) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Makes creations, renames and deletions in {@code dir} durable. */
  public static void fsyncDir(Path dir) throws IOException {
    FileOps.REAL.syncDirectory(dir);
  }
}
