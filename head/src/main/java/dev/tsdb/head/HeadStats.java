package dev.tsdb.head;

import java.util.concurrent.atomic.LongAdder;

/** Counters of what the head accepted and refused (exported as metrics by the server). */
public final class HeadStats {
  public final LongAdder samplesAppended = new LongAdder();
  public final LongAdder outOfOrderSamplesAppended = new LongAdder();
  public final LongAdder seriesCreated = new LongAdder();
  public final LongAdder seriesRemoved = new LongAdder();
  public final LongAdder outOfOrderRejected = new LongAdder();
  public final LongAdder duplicateRejected = new LongAdder();
  public final LongAdder outOfBoundsRejected = new LongAdder();
  public final LongAdder tooOldRejected = new LongAdder();
  public final LongAdder tooFarInFutureRejected = new LongAdder();
  /** Samples that passed the append-time check but lost at commit time to a concurrent commit. */
  public final LongAdder droppedAtCommit = new LongAdder();
  public final LongAdder commits = new LongAdder();
  public final LongAdder chunksCreated = new LongAdder();
}
