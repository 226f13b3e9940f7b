package dev.tsdb.testdata.promqltest;

import dev.tsdb.head.Head;
import dev.tsdb.head.HeadOptions;
import dev.tsdb.index.storage.Storage;

/**
 * The one place that decides which storage test scripts load their data into: the real head
 * (in memory, without a WAL), as Prometheus's promqltest loads into its real TSDB head. Its
 * chunks give native histograms the counter reset hints Prometheus's chunks give (the first
 * sample of a chunk its header's hint, later ones "not a reset"), which several scripts expect.
 */
public final class TestStorage {
  private TestStorage() {}

  public static Storage create() {
    HeadOptions opts = new HeadOptions();
    // As Prometheus's teststorage: 24 h blocks, so the head accepts samples up to 12 h older
    // than its newest one.
    opts.chunkRangeMs = 24 * 60 * 60 * 1000L;
    // Scripts load samples from 1970 on; nothing is "in the future" for them.
    opts.maxFutureMs = Long.MAX_VALUE / 2;
    return new Head(opts);
  }
}
