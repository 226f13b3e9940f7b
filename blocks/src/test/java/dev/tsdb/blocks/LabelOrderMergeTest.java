package dev.tsdb.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.index.labels.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelOrderMergeTest {
  /** An item: labels and the input it came from. */
  private record Item(Labels labels, String from) {}

  private static final class ListInput implements LabelOrderMerge.Input<Item> {
    private final List<Item> items;
    private final Exception failAtEnd;
    private int i = -1;

    ListInput(String name, Exception failAtEnd, String... metricNames) {
      this.items = new ArrayList<>();
      for (String n : metricNames) {
        items.add(new Item(Labels.of("__name__", n), name));
      }
      this.failAtEnd = failAtEnd;
    }

    @Override
    public boolean next() {
      return ++i < items.size();
    }

    @Override
    public Item at() {
      return items.get(i);
    }

    @Override
    public Exception error() {
      return i >= items.size() ? failAtEnd : null;
    }
  }

  /** Combines a group into one item naming its inputs in the order the merge gave them. */
  private static Item joined(Labels labels, List<Item> parts) {
    StringBuilder b = new StringBuilder();
    for (Item p : parts) {
      b.append(p.from());
    }
    return new Item(labels, b.toString());
  }

  private static List<String> drain(LabelOrderMerge<Item, RuntimeException> m) {
    List<String> out = new ArrayList<>();
    while (m.next()) {
      out.add(m.at().labels().get("__name__") + "@" + m.at().from());
    }
    return out;
  }

  @Test
  void mergesInGoByteOrderAndGroupsEqualLabelsInInputOrder() {
    // Byte order: upper case before lower case, "é" (two UTF-8 bytes from 0xC3) after "z".
    LabelOrderMerge<Item, RuntimeException> m = new LabelOrderMerge<>(List.of(
        new ListInput("0", null, "B", "a", "z"),
        new ListInput("1", null, "a", "é"),
        new ListInput("2", null, "B", "a", "z", "é")), Item::labels, LabelOrderMergeTest::joined);
    assertEquals(List.of("B@02", "a@012", "z@02", "é@12"), drain(m));
    assertNull(m.at());
    assertNull(m.inputError());
  }

  @Test
  void singleItemsPassThroughUncombined() {
    ListInput in = new ListInput("0", null, "a");
    LabelOrderMerge<Item, RuntimeException> m = new LabelOrderMerge<>(
        List.of(in, new ListInput("1", null)), Item::labels, (l, p) -> {
          throw new AssertionError("nothing to combine");
        });
    assertEquals(true, m.next());
    assertSame(in.items.get(0), m.at());
    assertFalse(m.next());
  }

  @Test
  void anInputErrorEndsTheMerge() {
    IOException boom = new IOException("boom");
    LabelOrderMerge<Item, RuntimeException> m = new LabelOrderMerge<>(List.of(
        new ListInput("0", boom, "a"),
        new ListInput("1", null, "a", "b", "c")), Item::labels, LabelOrderMergeTest::joined);
    assertEquals(List.of("a@01"), drain(m));
    assertSame(boom, m.inputError());
    assertFalse(m.next());
  }

  @Test
  void theCombinersExceptionReachesTheCaller() {
    LabelOrderMerge<Item, IOException> m = new LabelOrderMerge<>(List.of(
        new ListInput("0", null, "a"), new ListInput("1", null, "a")), Item::labels, (l, p) -> {
          throw new IOException("cannot combine");
        });
    assertEquals("cannot combine", assertThrows(IOException.class, m::next).getMessage());
  }

  @Test
  void noInputsNoItems() {
    assertFalse(new LabelOrderMerge<Item, RuntimeException>(List.of(), Item::labels,
        LabelOrderMergeTest::joined).next());
  }
}
