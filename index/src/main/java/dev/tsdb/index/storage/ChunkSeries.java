package dev.tsdb.index.storage;

import dev.tsdb.index.labels.Labels;
import java.util.List;

/** A series as its encoded chunks, in time order and not overlapping. */
public interface ChunkSeries {
  Labels labels();

  List<ChunkMeta> chunks();
}
