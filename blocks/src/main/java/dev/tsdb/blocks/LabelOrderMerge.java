package dev.tsdb.blocks;

import dev.tsdb.index.format.Utf8Order;
import dev.tsdb.index.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * K-way merge of inputs that each yield items (series, chunk series) sorted by labels in Go's
 * byte order ({@link Utf8Order}). Items with equal labels in several inputs come out once, made
 * by the {@link Combiner} from the group in input order (lower index first: the higher priority
 * for duplicate timestamps). One implementation for the sample view (queries), the chunk view
 * (streamed remote read) and compaction, so all three agree on order and grouping.
 *
 * <p>Inputs are advanced lazily: the ones that gave the current group move on at the next call
 * to {@link #next()}, so the current item's parts stay valid until then. Per group it allocates
 * nothing but what the combiner builds.
 *
 * @param <T> the item type
 * @param <X> what the combiner may throw ({@link RuntimeException} when it cannot fail)
 */
public final class LabelOrderMerge<T, X extends Exception> {
  /** One input: a cursor over items sorted by labels. */
  public interface Input<T> {
    boolean next();

    T at();

    /** The error that ended the input early, or null. */
    Exception error();

    /** An input reading a series set's cursor methods (e.g. {@code of(s::next, s::at, s::error)}). */
    static <T> Input<T> of(BooleanSupplier next, Supplier<T> at, Supplier<Exception> error) {
      return new Input<>() {
        @Override
        public boolean next() {
          return next.getAsBoolean();
        }

        @Override
        public T at() {
          return at.get();
        }

        @Override
        public Exception error() {
          return error.get();
        }
      };
    }
  }

  /** Makes one item of the items with equal labels taken from several inputs. */
  @FunctionalInterface
  public interface Combiner<T, X extends Exception> {
    /**
     * @param parts two or more items, in input order; the list is reused after the call
     */
    T combine(Labels labels, List<T> parts) throws X;
  }

  private static final class Cursor<T> implements Comparable<Cursor<T>> {
    final int index;
    final Input<T> input;
    T item;
    Labels labels;

    Cursor(int index, Input<T> input) {
      this.index = index;
      this.input = input;
    }

    @Override
    public int compareTo(Cursor<T> o) {
      int c = Utf8Order.compare(labels, o.labels);
      return c != 0 ? c : Integer.compare(index, o.index);
    }
  }

  private final Function<T, Labels> labelsOf;
  private final Combiner<T, X> combiner;
  private final List<Cursor<T>> pending;
  private final PriorityQueue<Cursor<T>> heap;
  private final List<Cursor<T>> group = new ArrayList<>();
  private final List<T> parts = new ArrayList<>();
  private T cur;
  private Exception inputError;

  public LabelOrderMerge(List<? extends Input<T>> inputs, Function<T, Labels> labelsOf,
      Combiner<T, X> combiner) {
    this.labelsOf = labelsOf;
    this.combiner = combiner;
    this.pending = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      pending.add(new Cursor<>(i, inputs.get(i)));
    }
    this.heap = new PriorityQueue<>(Math.max(1, inputs.size()));
  }

  /**
   * Moves to the next group. False at the end or when an input failed ({@link #inputError()}).
   *
   * @throws X what the combiner threw (the merge must not be used afterwards)
   */
  public boolean next() throws X {
    for (Cursor<T> c : pending) {
      advance(c);
    }
    pending.clear();
    for (Cursor<T> c : group) {
      advance(c);
    }
    group.clear();
    if (inputError != null || heap.isEmpty()) {
      cur = null;
      return false;
    }
    Cursor<T> first = heap.poll();
    group.add(first);
    while (!heap.isEmpty() && heap.peek().labels.equals(first.labels)) {
      group.add(heap.poll()); // equal labels come out by input index
    }
    if (group.size() == 1) {
      cur = first.item;
      return true;
    }
    parts.clear();
    for (Cursor<T> c : group) {
      parts.add(c.item);
    }
    cur = combiner.combine(first.labels, parts);
    parts.clear();
    return true;
  }

  private void advance(Cursor<T> c) {
    if (c.input.next()) {
      c.item = c.input.at();
      c.labels = labelsOf.apply(c.item);
      heap.add(c);
      return;
    }
    c.item = null;
    c.labels = null;
    if (inputError == null && c.input.error() != null) {
      inputError = c.input.error();
    }
  }

  /** The current item; valid until the next call to {@link #next()}. */
  public T at() {
    return cur;
  }

  /** The first error an input reported, or null. */
  public Exception inputError() {
    return inputError;
  }
}
