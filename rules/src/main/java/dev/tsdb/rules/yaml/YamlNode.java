package dev.tsdb.rules.yaml;

import dev.tsdb.gocompat.GoNumbers;
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

    /**
     * The value of an int scalar as Go's yaml packages resolve it: strconv.ParseInt(text, 0, 64)
     * once underscores are dropped, so 0x1F, 0o17, 0b101 and the legacy octal 0777 all work.
     *
     * @throws NumberFormatException when the text is no int64
     */
    public long int64() {
      return GoNumbers.parseInt(text.replace("_", ""), 0, 64);
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
