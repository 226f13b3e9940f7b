package dev.tsdb.blocks;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.tsdb.index.io.FileOps;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A block's {@code meta.json}, as Prometheus writes it:
 *
 * <pre>
 * {"ulid": "...", "minTime": ms, "maxTime": ms (exclusive),
 *  "stats": {"numSamples": n, "numSeries": n, "numChunks": n, "numTombstones": n?, ...},
 *  "compaction": {"level": n, "sources": [ulid...], "parents": [{ulid, minTime, maxTime}]?,
 *                 "deletable": bool?, "failed": bool?, "hints": [...]?},
 *  "version": 1}
 * </pre>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BlockMeta(
    @JsonProperty("ulid") String ulid,
    @JsonProperty("minTime") long minTime,
    @JsonProperty("maxTime") long maxTime,
    @JsonProperty("stats") Stats stats,
    @JsonProperty("compaction") Compaction compaction,
    @JsonProperty("version") int version) {

  public static final String FILE_NAME = "meta.json";
  public static final int VERSION = 1;

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_DEFAULT)
  public record Stats(
      @JsonProperty("numSamples") long numSamples,
      @JsonProperty("numFloatSamples") long numFloatSamples,
      @JsonProperty("numHistogramSamples") long numHistogramSamples,
      @JsonProperty("numSeries") long numSeries,
      @JsonProperty("numChunks") long numChunks,
      @JsonProperty("numTombstones") long numTombstones) {
    public Stats(long numSamples, long numSeries, long numChunks) {
      this(numSamples, 0, 0, numSeries, numChunks, 0);
    }

    public Stats withTombstones(long n) {
      return new Stats(numSamples, numFloatSamples, numHistogramSamples, numSeries, numChunks, n);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Parent(
      @JsonProperty("ulid") String ulid,
      @JsonProperty("minTime") long minTime,
      @JsonProperty("maxTime") long maxTime) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Compaction(
      @JsonProperty("level") int level,
      @JsonProperty("sources") List<String> sources,
      @JsonProperty("deletable") boolean deletable,
      @JsonProperty("parents") List<Parent> parents,
      @JsonProperty("failed") boolean failed,
      @JsonProperty("hints") List<String> hints) {
    public Compaction {
      sources = sources == null ? List.of() : List.copyOf(sources);
      parents = parents == null ? List.of() : List.copyOf(parents);
      hints = hints == null ? List.of() : List.copyOf(hints);
    }

    public Compaction(int level, List<String> sources) {
      this(level, sources, false, List.of(), false, List.of());
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, false);
  private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter()
      .withObjectIndenter(new DefaultIndenter("\t", "\n"))
      .withoutSpacesInObjectEntries());

  /** A level-1 meta for a freshly written block. */
  public static BlockMeta fresh(String ulid, long minTime, long maxTime, Stats stats) {
    return new BlockMeta(ulid, minTime, maxTime, stats,
        new Compaction(1, List.of(ulid)), VERSION);
  }

  public BlockMeta withStats(Stats s) {
    return new BlockMeta(ulid, minTime, maxTime, s, compaction, version);
  }

  public BlockMeta withCompaction(Compaction c) {
    return new BlockMeta(ulid, minTime, maxTime, stats, c, version);
  }

  public byte[] toJson() {
    try {
      return WRITER.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static BlockMeta fromJson(byte[] json) throws IOException {
    BlockMeta m = MAPPER.readValue(json, BlockMeta.class);
    if (m.ulid == null || m.stats == null || m.compaction == null) {
      throw new IOException("meta.json lacks ulid, stats or compaction");
    }
    return m;
  }

  /** Reads {@code dir/meta.json}; fails on unknown versions. */
  public static BlockMeta read(Path dir) throws IOException {
    BlockMeta m = fromJson(Files.readAllBytes(dir.resolve(FILE_NAME)));
    if (m.version != VERSION) {
      throw new IOException("unexpected meta.json version " + m.version);
    }
    return m;
  }

  /** Writes {@code dir/meta.json} atomically (temp file, fsync, rename). */
  public void write(Path dir) throws IOException {
    write(dir, FileOps.REAL);
  }

  /** {@link #write(Path)} through {@code files}. */
  public void write(Path dir, FileOps files) throws IOException {
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    try (FileChannel ch = files.open(tmp, StandardOpenOption.CREATE,
        StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(toJson());
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    files.rename(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }
}
