package dev.tsdb.rules.yaml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A YAML node with its source position (1-based line and column of where the node starts), the
 * way Go's yaml.v3 Node keeps them, so validation errors can say "4:17: ...". Scalars keep their
 * literal text and resolved kind; mappings keep key order and key positions.
 */
public sealed interface YamlNode {
  int line();

  int column();

  /** The YAML tag name Go's yaml.v3 prints in type errors (!!str, !!int, !!map...). */
  String tag();

  /** A scalar. {@code kind} is the resolved type (str, int, float, bool, null). */
  record Scalar(String text, Kind kind, int line, int column) implements YamlNode {
    public enum Kind {
      STR, INT, FLOAT, BOOL, NULL
    }

    @Override
    public String tag() {
      return "!!" + kind.name().toLowerCase();
    }
  }

  record Entry(Scalar key, YamlNode value) {}

  record Mapping(List<Entry> entries, int line, int column) implements YamlNode {
    public Mapping {
      entries = Collections.unmodifiableList(new ArrayList<>(entries));
    }

    @Override
    public String tag() {
      return "!!map";
    }
  }

  record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
    public Sequence {
      items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    @Override
    public String tag() {
      return "!!seq";
    }
  }
}
