package dev.tsdb.head;

import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SelectRange;
import dev.tsdb.index.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

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
    RoaringBitmap ids = head.postings.select(matchers);
    List<SeriesSnapshot> out = new ArrayList<>(Math.min(ids.getCardinality(), 1 << 16));
    IntIterator it = ids.getIntIterator();
    while (it.hasNext()) {
      MemSeries s = head.table.get(it.next());
      if (s == null) {
        continue;
      }
      long[] deleted = head.tombstones.get(s.id);
      SeriesSnapshot snap;
      synchronized (s) {
        if (deleted != null && HeadTombstones.covers(deleted, Math.max(lo, s.minTime()),
            Math.min(hi, s.maxTimeAll()))) {
          continue; // every sample in range is deleted: no series, as Prometheus
        }
        snap = s.snapshot(readerSeq, lo, hi);
      }
      if (snap != null) {
        snap.deleted = deleted;
        out.add(snap);
      }
    }
    if (sorted) {
      out.sort((a, b) -> Utf8Order.compare(a.labels, b.labels)); // Go byte order, as blocks
    }
    return SeriesSet.of(out);
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
