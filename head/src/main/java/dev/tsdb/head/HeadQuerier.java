package dev.tsdb.head;

import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SelectRange;
import dev.tsdb.index.storage.SeriesSet;
import java.util.List;

/**
 * Reads the head as of the commits published when it was opened: postings select the series,
 * each series is snapshotted under its lock (references, no copies of sealed chunks), and the
 * returned series decode without locks.
 */
final class HeadQuerier implements Querier {
  private final Head head;
  private final long mint;
  private final long maxt;
  private final long readerSeq;
  private boolean closed;

  HeadQuerier(Head head, long mint, long maxt, long readerSeq) {
    this.head = head;
    this.mint = mint;
    this.maxt = maxt;
    this.readerSeq = readerSeq;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    SelectRange r = SelectRange.of(mint, maxt, hints);
    if (r.isEmpty()) {
      return SeriesSet.empty();
    }
    long lo = r.mint();
    long hi = r.maxt();
    return SeriesSet.of(SeriesSnapshot.select(head, readerSeq, lo, hi, sorted, matchers));
  }

  private boolean overlapsHead() {
    return head.minTime() <= maxt && head.maxTime() >= mint;
  }

  @Override
  public List<String> labelValues(String name, Matcher... matchers) {
    if (!overlapsHead()) {
      return List.of();
    }
    if (matchers.length == 0) {
      return head.postings.labelValues(name);
    }
    return head.postings.labelValues(name, head.postings.select(matchers));
  }

  @Override
  public List<String> labelNames(Matcher... matchers) {
    if (!overlapsHead()) {
      return List.of();
    }
    if (matchers.length == 0) {
      return head.postings.labelNames();
    }
    return head.postings.labelNames(head.postings.select(matchers));
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      head.iso.closeReader(readerSeq);
    }
  }
}
