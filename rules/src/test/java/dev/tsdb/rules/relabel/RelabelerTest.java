package dev.tsdb.rules.relabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.index.labels.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases follow Prometheus's model/relabel/relabel_test.go. */
class RelabelerTest {
  private static final Labels ABC = Labels.of("a", "foo", "b", "bar", "c", "baz");

  private static RelabelConfig cfg(List<String> src, String regex, String target, String repl,
      String action) {
    return RelabelConfig.of(src, null, regex, null, target, repl, action);
  }

  @Test
  void replace() {
    assertEquals(Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "choo-choo"),
        Relabeler.process(ABC, List.of(cfg(List.of("a"), "f(.*)", "d", "ch${1}-ch${1}", null))));
    assertEquals(Labels.of("a", "boobam", "b", "bar", "c", "baz"),
        Relabeler.process(ABC, List.of(cfg(List.of("a", "b"), "f(.*);(.*)r", "a",
            "b${1}${2}m", null))));
    // No match: no change. Anchored: "oo" does not match "foo".
    assertEquals(ABC, Relabeler.process(ABC, List.of(cfg(List.of("a"), "oo", "d", "x", null))));
    // Replacement expanding to "" deletes the target.
    assertEquals(Labels.of("b", "bar", "c", "baz"),
        Relabeler.process(ABC, List.of(cfg(List.of("a"), "(.*)", "a", "${2}", null))));
    // Go expansion: "$1x" names group "1x", which does not exist.
    assertEquals(Labels.of("a", "foo", "b", "bar", "c", "baz", "d", "-"),
        Relabeler.process(ABC, List.of(cfg(List.of("a"), "(.*)", "d", "$1x-", null))));
    // Fast path: constant label when the source is empty.
    assertEquals(Labels.of("a", "foo", "b", "bar", "c", "baz", "env", "prod"),
        Relabeler.process(ABC, List.of(cfg(List.of(), null, "env", "prod", null))));
    // Target label from the match.
    assertEquals(Labels.of("a", "foo", "b", "bar", "c", "baz", "foo_label", "x"),
        Relabeler.process(ABC, List.of(cfg(List.of("a"), "(.*)", "${1}_label", "x", null))));
  }

  @Test
  void keepAndDrop() {
    assertNull(Relabeler.process(ABC, List.of(cfg(List.of("a"), ".*o.*", null, null, "drop"))));
    assertEquals(ABC, Relabeler.process(ABC, List.of(cfg(List.of("a"), "f", null, null, "drop"))));
    assertNull(Relabeler.process(ABC, List.of(cfg(List.of("a"), "no-match", null, null, "keep"))));
    assertEquals(ABC, Relabeler.process(ABC, List.of(cfg(List.of("a"), "f.*", null, null,
        "KEEP"))));
    Labels eq = Labels.of("a", "x", "b", "x");
    assertNull(Relabeler.process(eq, List.of(cfg(List.of("a"), null, "b", null, "dropequal"))));
    assertEquals(eq, Relabeler.process(eq, List.of(cfg(List.of("a"), null, "b", null,
        "keepequal"))));
    assertNull(Relabeler.process(ABC, List.of(cfg(List.of("a"), null, "b", null, "keepequal"))));
  }

  @Test
  void hashmod() {
    RelabelConfig c = RelabelConfig.of(List.of("c"), null, null, 1000L, "d", null, "hashmod");
    assertEquals("976", Relabeler.process(ABC, List.of(c)).get("d"));
  }

  @Test
  void labelmapDropKeepAndCase() {
    Labels in = Labels.of("a", "foo", "b1", "bar", "b2", "baz");
    assertEquals(Labels.of("a", "foo", "b1", "bar", "b2", "baz", "bar_b1", "bar", "bar_b2",
        "baz"), Relabeler.process(in, List.of(cfg(null, "(b.*)", null, "bar_${1}", "labelmap"))));
    assertEquals(Labels.of("a", "foo"),
        Relabeler.process(in, List.of(cfg(null, "b.*", null, null, "labeldrop"))));
    assertEquals(Labels.of("b1", "bar", "b2", "baz"),
        Relabeler.process(in, List.of(cfg(null, "b.*", null, null, "labelkeep"))));
    Labels mixed = Labels.of("foo", "bAr123Foo");
    assertEquals("bar123foo", Relabeler.process(mixed,
        List.of(cfg(List.of("foo"), null, "foo_lower", null, "lowercase"))).get("foo_lower"));
    assertEquals("BAR123FOO", Relabeler.process(mixed,
        List.of(cfg(List.of("foo"), null, "foo_upper", null, "uppercase"))).get("foo_upper"));
  }

  @Test
  void validation() {
    assertEquals("relabel configuration for hashmod requires non-zero modulus",
        assertThrows(IllegalArgumentException.class,
            () -> cfg(List.of("a"), null, "d", null, "hashmod")).getMessage());
    assertEquals("relabel configuration for replace action requires 'target_label' value",
        assertThrows(IllegalArgumentException.class,
            () -> cfg(List.of("a"), null, null, null, null)).getMessage());
    assertEquals("unknown relabel action \"explode\"",
        assertThrows(IllegalArgumentException.class,
            () -> cfg(List.of("a"), null, "d", null, "explode")).getMessage());
    assertEquals("labeldrop action requires only 'regex', and no other fields",
        assertThrows(IllegalArgumentException.class,
            () -> cfg(List.of("a"), "x", null, null, "labeldrop")).getMessage());
    assertEquals("'replacement' can not be set for lowercase action",
        assertThrows(IllegalArgumentException.class,
            () -> cfg(List.of("a"), null, "d", "x", "lowercase")).getMessage());
    assertEquals("keepequal action requires only 'source_labels' and `target_label`, and no "
        + "other fields", assertThrows(IllegalArgumentException.class,
            () -> cfg(List.of("a"), "x", "d", null, "keepequal")).getMessage());
  }
}
