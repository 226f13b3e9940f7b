package dev.tsdb.wal;

/** What a checkpoint kept and dropped (totals include dropped entries); histograms count as samples. */
public final class CheckpointStats {
  public long totalSeries;
  public long droppedSeries;
  public long totalSamples;
  public long droppedSamples;
  public long totalTombstones;
  public long droppedTombstones;
  public long totalExemplars;
  public long droppedExemplars;
  public long totalMetadata;
  public long droppedMetadata;
  /** Records of types a checkpoint does not carry (mmap markers, V2 histograms, unknown). */
  public long droppedRecords;

  @Override
  public String toString() {
    return "series " + (totalSeries - droppedSeries) + "/" + totalSeries
        + ", samples " + (totalSamples - droppedSamples) + "/" + totalSamples
        + ", tombstones " + (totalTombstones - droppedTombstones) + "/" + totalTombstones
        + ", exemplars " + (totalExemplars - droppedExemplars) + "/" + totalExemplars
        + ", metadata " + (totalMetadata - droppedMetadata) + "/" + totalMetadata
        + ", dropped records " + droppedRecords;
  }
}
