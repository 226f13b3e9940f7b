package dev.tsdb.blocks;

import dev.tsdb.index.format.CorruptIndexException;
import dev.tsdb.index.postings.PostingsForMatchers;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.index.storage.Querier;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.SelectRange;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

/** A querier over one block; holds a reference on the block until closed. */
final class BlockQuerier implements Querier {
  private final Block block;
  private final long mint;
  private final long maxt;
  private boolean closed;

  BlockQuerier(Block block, long mint, long maxt) {
    this.block = block;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
    SelectRange r = SelectRange.of(mint, maxt, hints);
    if (r.isEmpty()) {
      return SeriesSet.empty();
    }
    boolean labelsOnly = hints != null && "series".equals(hints.func());
    RoaringBitmap refs;
    try {
      refs = PostingsForMatchers.select(block.postings(), matchers);
    } catch (CorruptIndexException e) {
      return SeriesSet.failed(e);
    }
    BlockSeriesCursor c = new BlockSeriesCursor(block.index(), block.tombstones(), refs, r.mint(), r.maxt());
    return new SeriesSet() {
      private Series cur;

      @Override
      public boolean next() {
        if (!c.next()) {
          cur = null;
          return false;
        }
        cur = new BlockSeries(c.labels, labelsOnly ? null : c.metas.copy(), c.deleted,
            block.chunks(), r.mint(), r.maxt());
        return true;
      }

      @Override
      public Series at() {
        return cur;
      }

      @Override
      public Exception error() {
        return c.error;
      }
    };
  }

  @Override
  public List<String> labelValues(String name, Matcher... matchers) {
    if (matchers.length == 0) {
      return block.index().labelValues(name);
    }
    TreeSet<String> out = new TreeSet<>();
    forEachMatching(matchers, l -> {
      String v = l.get(name);
      if (!v.isEmpty()) {
        out.add(v);
      }
    });
    return new ArrayList<>(out);
  }

  @Override
  public List<String> labelNames(Matcher... matchers) {
    if (matchers.length == 0) {
      return block.index().labelNames();
    }
    TreeSet<String> out = new TreeSet<>();
    forEachMatching(matchers, l -> l.forEach((n, v) -> out.add(n)));
    return new ArrayList<>(out);
  }

  private void forEachMatching(Matcher[] matchers, java.util.function.Consumer<Labels> f) {
    RoaringBitmap refs = PostingsForMatchers.select(block.postings(), matchers);
    IntIterator it = refs.getIntIterator();
    while (it.hasNext()) {
      f.accept(block.index().seriesLabels(it.next() & 0xffffffffL));
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      block.release();
    }
  }
}
