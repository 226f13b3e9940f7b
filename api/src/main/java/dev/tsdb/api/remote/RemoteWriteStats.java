package dev.tsdb.api.remote;

import dev.tsdb.index.storage.SampleRejectedException.Reason;
import java.util.concurrent.atomic.LongAdder;

/** Running totals of remote-write ingestion, exported as metrics. */
public final class RemoteWriteStats {
  public final LongAdder requests = new LongAdder();
  public final LongAdder failedRequests = new LongAdder();
  public final LongAdder samplesAppended = new LongAdder();
  public final LongAdder exemplarsAppended = new LongAdder();
  public final LongAdder exemplarsRejected = new LongAdder();
  public final LongAdder metadataReceived = new LongAdder();
  public final LongAdder seriesRejected = new LongAdder();
  /** Samples and histogram samples dropped because their series' labels were invalid. */
  public final LongAdder invalidLabelSamples = new LongAdder();
  public final LongAdder histogramsRejected = new LongAdder();
  /** Native histogram samples the storage took (not exported yet: none does so far). */
  public final LongAdder histogramsAppended = new LongAdder();
  public final LongAdder[] samplesRejectedByReason = new LongAdder[Reason.values().length];

  public RemoteWriteStats() {
    for (int i = 0; i < samplesRejectedByReason.length; i++) {
      samplesRejectedByReason[i] = new LongAdder();
    }
  }

  void record(WriteOutcome o) {
    samplesAppended.add(o.samplesAppended);
    exemplarsAppended.add(o.exemplarsAppended);
    exemplarsRejected.add(o.exemplarsRejected);
    metadataReceived.add(o.metadataReceived);
    seriesRejected.add(o.seriesRejected);
    invalidLabelSamples.add(o.samplesInRejectedSeries);
    histogramsRejected.add(o.histogramsRejected);
    histogramsAppended.add(o.histogramsAppended);
    for (int i = 0; i < samplesRejectedByReason.length; i++) {
      if (o.samplesRejectedByReason[i] != 0) {
        samplesRejectedByReason[i].add(o.samplesRejectedByReason[i]);
      }
    }
  }

  public long samplesRejected(Reason r) {
    return samplesRejectedByReason[r.ordinal()].sum();
  }
}
