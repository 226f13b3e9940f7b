package dev.tsdb.blocks;

import dev.tsdb.index.format.EncodeBuffer;
import dev.tsdb.index.format.Varint;
import dev.tsdb.index.io.FileOps;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.zip.CRC32C;

/**
 * Deleted time ranges per series reference of a block, and its {@code tombstones} file
 * (tsdb/docs/format/tombstones.md):
 *
 * <pre>
 * magic 0x0130BA30 &lt;4b&gt; | version 1 &lt;1b&gt;
 * (seriesRef &lt;uvarint&gt; mint &lt;varint&gt; maxt &lt;varint&gt;)*   one entry per interval
 * CRC32C of the entries (not the version byte) &lt;4b&gt;
 * </pre>
 *
 * A missing file means no tombstones. Thread-safe for reads after construction; writers build a
 * new instance.
 */
public final class Tombstones {
  public static final String FILE_NAME = "tombstones";
  public static final int MAGIC = 0x0130BA30;
  public static final int VERSION = 1;
  public static final Tombstones EMPTY = new Tombstones(new TreeMap<>());

  private final TreeMap<Long, Intervals> byRef;

  private Tombstones(TreeMap<Long, Intervals> byRef) {
    this.byRef = byRef;
  }

  public static Tombstones of(Map<Long, Intervals> m) {
    return new Tombstones(new TreeMap<>(m));
  }

  /** The deleted intervals of a series (EMPTY when none). */
  public Intervals get(long seriesRef) {
    Intervals iv = byRef.get(seriesRef);
    return iv == null ? Intervals.EMPTY : iv;
  }

  public boolean isEmpty() {
    return byRef.isEmpty();
  }

  /** Number of intervals over all series (meta.json's numTombstones). */
  public long total() {
    long n = 0;
    for (Intervals iv : byRef.values()) {
      n += iv.size();
    }
    return n;
  }

  public void forEach(BiConsumer<Long, Intervals> f) {
    byRef.forEach(f);
  }

  public Map<Long, Intervals> asMap() {
    return Collections.unmodifiableMap(byRef);
  }

  /** A copy with [mint, maxt] deleted from the given series too. */
  public Tombstones with(long seriesRef, long mint, long maxt) {
    TreeMap<Long, Intervals> m = new TreeMap<>(byRef);
    m.merge(seriesRef, Intervals.of(mint, maxt), Intervals::addAll);
    return new Tombstones(m);
  }

  public byte[] encode() {
    EncodeBuffer e = new EncodeBuffer(64);
    e.putBE32(MAGIC).putByte(VERSION);
    byRef.forEach((ref, iv) -> {
      for (int i = 0; i < iv.size(); i++) {
        e.putUvarint(ref).putVarint(iv.mint(i)).putVarint(iv.maxt(i));
      }
    });
    e.putBE32(e.crc32c(5));
    return java.util.Arrays.copyOf(e.array(), e.length());
  }

  public static Tombstones decode(byte[] b) throws IOException {
    if (b.length < 9) {
      throw new IOException("tombstones file too short: " + b.length + " bytes");
    }
    ByteBuffer bb = ByteBuffer.wrap(b);
    if (bb.getInt(0) != MAGIC) {
      throw new IOException("invalid tombstones magic number " + Integer.toHexString(bb.getInt(0)));
    }
    if (b[4] != VERSION) {
      throw new IOException("invalid tombstones format version " + b[4]);
    }
    int end = b.length - 4;
    CRC32C crc = new CRC32C();
    crc.update(b, 5, end - 5);
    if ((int) crc.getValue() != bb.getInt(end)) {
      throw new IOException("tombstones checksum mismatch");
    }
    TreeMap<Long, Intervals> m = new TreeMap<>();
    int[] pos = {5};
    while (pos[0] < end) {
      long ref = uvarint(b, pos, end);
      long mint = Varint.unzigzag(uvarint(b, pos, end));
      long maxt = Varint.unzigzag(uvarint(b, pos, end));
      m.merge(ref, Intervals.of(mint, maxt), Intervals::addAll);
    }
    return new Tombstones(m);
  }

  private static long uvarint(byte[] b, int[] pos, int end) throws IOException {
    long x = 0;
    for (int s = 0; s < 70; s += 7) {
      if (pos[0] >= end) {
        throw new IOException("tombstones entry truncated");
      }
      byte c = b[pos[0]++];
      x |= (long) (c & 0x7f) << s;
      if (c >= 0) {
        return x;
      }
    }
    throw new IOException("tombstones varint overflow");
  }

  /** Reads {@code dir/tombstones}; EMPTY when the file does not exist. */
  public static Tombstones read(Path dir) throws IOException {
    byte[] b;
    try {
      b = Files.readAllBytes(dir.resolve(FILE_NAME));
    } catch (NoSuchFileException e) {
      return EMPTY;
    }
    return decode(b);
  }

  /** Writes {@code dir/tombstones} atomically (temp file, fsync, rename); returns its size. */
  public long write(Path dir) throws IOException {
    return write(dir, FileOps.REAL);
  }

  /** {@link #write(Path)} through {@code files}. */
  public long write(Path dir, FileOps files) throws IOException {
    byte[] b = encode();
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (FileChannel ch = files.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bb = ByteBuffer.wrap(b);
      while (bb.hasRemaining()) {
        ch.write(bb);
      }
      ch.force(true);
    }
    files.rename(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    return b.length;
  }
}
