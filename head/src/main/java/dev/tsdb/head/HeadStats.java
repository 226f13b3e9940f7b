package dev.tsdb.head;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of what the head accepted and refused (exported as metrics by the server). Samples
 * are counted by type as Prometheus labels them: the plain counters are float samples (its
 * {@code type="float"}), the {@code ...Histograms...} ones native histograms of both kinds
 * ({@code type="histogram"}). Samples appended include the out-of-order ones, as in Prometheus.
 */
public final class HeadStats {
  public final LongAdder samplesAppended = new LongAdder();
  public final LongAdder histogramSamplesAppended = new LongAdder();
  public final LongAdder outOfOrderSamplesAppended = new LongAdder();
  public final LongAdder outOfOrderHistogramsAppended = new LongAdder();
  public final LongAdder seriesCreated = new LongAdder();
  public final LongAdder seriesRemoved = new LongAdder();
  public final LongAdder outOfOrderRejected = new LongAdder();
  public final LongAdder outOfOrderHistogramsRejected = new LongAdder();
  public final LongAdder duplicateRejected = new LongAdder();
  public final LongAdder outOfBoundsRejected = new LongAdder();
  public final LongAdder outOfBoundsHistogramsRejected = new LongAdder();
  public final LongAdder tooOldRejected = new LongAdder();
  public final LongAdder tooOldHistogramsRejected = new LongAdder();
  public final LongAdder tooFarInFutureRejected = new LongAdder();
  /** Samples that passed the append-time check but lost at commit time to a concurrent commit. */
  public final LongAdder droppedAtCommit = new LongAdder();
  public final LongAdder commits = new LongAdder();
  /** In-order chunks started (Prometheus's prometheus_tsdb_head_chunks_created_total). */
  public final LongAdder chunksCreated = new LongAdder();
  /** In-order chunks dropped by truncation (prometheus_tsdb_head_chunks_removed_total). */
  public final LongAdder chunksRemoved = new LongAdder();
  /** Exemplars refused as out of order (prometheus_tsdb_exemplar_out_of_order_exemplars_total). */
  public final LongAdder exemplarsOutOfOrder = new LongAdder();
}
