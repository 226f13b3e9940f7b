package dev.tsdb.index.storage;

import java.io.IOException;

/** Something whose series can be read as encoded chunks over a time range. */
public interface ChunkQueryable {
  /** A chunk querier over chunks overlapping {@code [mint, maxt]} (ms, inclusive); close it. */
  ChunkQuerier chunkQuerier(long mint, long maxt) throws IOException;
}
