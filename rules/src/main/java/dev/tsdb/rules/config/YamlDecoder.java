package dev.tsdb.rules.config;

import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.rules.yaml.YamlNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads typed values out of {@link YamlNode}s the way Prometheus's strict YAML decoding does:
 * type mismatches, unknown fields and repeated fields are collected (and reported together as
 * "yaml: unmarshal errors:" with their lines), while a value that decodes but is invalid (a bad
 * duration, a bad relabel rule) stops the load at once with its own message.
 *
 * <p>The type names in the messages are the Go types Prometheus decodes into ("config.plain" for
 * the structs that decode through an alias type, as most of its config structs do).
 */
final class YamlDecoder {
  /** Directory relative file names resolve against; null leaves them as written. */
  private final Path dir;
  final List<String> errors = new ArrayList<>();
  /** Settings accepted without effect here (named for the one start-up warning). */
  final java.util.Set<String> unsupported = new java.util.LinkedHashSet<>();

  YamlDecoder(Path dir) {
    this.dir = dir;
  }

  /** An absent value: no key, {@code key:} with nothing after it, {@code ~} or null. */
  static boolean isNull(YamlNode n) {
    return n == null
        || (n instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL);
  }

  void typeError(YamlNode n, String into) {
    String v = n instanceof YamlNode.Scalar s ? " `" + s.text() + "`" : "";
    errors.add("line " + n.line() + ": cannot unmarshal " + n.tag() + v + " into " + into);
  }

  void unknown(YamlNode.Entry e, String type) {
    errors.add("line " + e.key().line() + ": field " + e.key().text() + " not found in type "
        + type);
  }

  /** The entries of a mapping decoded into {@code type}; a repeated key is an error. */
  List<YamlNode.Entry> entries(YamlNode n, String type) {
    if (isNull(n)) {
      return List.of();
    }
    if (!(n instanceof YamlNode.Mapping m)) {
      typeError(n, type);
      return List.of();
    }
    Map<String, Integer> seen = new HashMap<>();
    List<YamlNode.Entry> out = new ArrayList<>();
    for (YamlNode.Entry e : m.entries()) {
      if (seen.putIfAbsent(e.key().text(), e.key().line()) != null) {
        errors.add("line " + e.key().line() + ": field " + e.key().text()
            + " already set in type " + type);
      } else {
        out.add(e);
      }
    }
    return out;
  }

  List<YamlNode> items(YamlNode n, String type) {
    if (isNull(n)) {
      return List.of();
    }
    if (!(n instanceof YamlNode.Sequence s)) {
      typeError(n, type);
      return List.of();
    }
    return s.items();
  }

  String string(YamlNode n) {
    if (isNull(n)) {
      return "";
    }
    if (n instanceof YamlNode.Scalar s) {
      return s.text();
    }
    typeError(n, "string");
    return "";
  }

  boolean bool(YamlNode n) {
    if (isNull(n)) {
      return false;
    }
    if (n instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.BOOL) {
      return isTrue(s.text());
    }
    typeError(n, "bool");
    return false;
  }

  /** YAML 1.1 true words, as the parser resolves them. */
  static boolean isTrue(String text) {
    return switch (text.toLowerCase(java.util.Locale.ROOT)) {
      case "true", "yes", "on", "y" -> true;
      default -> false;
    };
  }

  long int64(YamlNode n) {
    if (isNull(n)) {
      return 0;
    }
    if (n instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.INT) {
      try {
        return s.int64();
      } catch (NumberFormatException e) {
        // falls through to the type error, as an out-of-range value does in Go
      }
    }
    typeError(n, "int64");
    return 0;
  }

  /** A float64: an int or float scalar (YAML's .inf and .nan included). */
  double float64(YamlNode n) {
    if (isNull(n)) {
      return 0;
    }
    if (n instanceof YamlNode.Scalar s
        && (s.kind() == YamlNode.Scalar.Kind.INT || s.kind() == YamlNode.Scalar.Kind.FLOAT)) {
      if (s.kind() == YamlNode.Scalar.Kind.INT) {
        try {
          return s.int64();
        } catch (NumberFormatException e) {
          // a big int: read as a float below
        }
      }
      String t = s.text().replace("_", "").toLowerCase(java.util.Locale.ROOT);
      return switch (t) {
        case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
        case "-.inf" -> Double.NEGATIVE_INFINITY;
        case ".nan" -> Double.NaN;
        default -> Double.parseDouble(t);
      };
    }
    typeError(n, "float64");
    return 0;
  }

  /** A units.Base2Bytes ("512MB"); 0 when absent. */
  long base2Bytes(YamlNode n) throws ConfigException {
    if (isNull(n)) {
      return 0;
    }
    try {
      return dev.tsdb.gocompat.Base2Bytes.parse(string(n));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** A model.Duration; {@code dflt} when absent. */
  long duration(YamlNode n, long dflt) throws ConfigException {
    if (isNull(n)) {
      return dflt;
    }
    try {
      return ModelDuration.parseMillis(string(n));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  Map<String, String> stringMap(YamlNode n, String type) {
    Map<String, String> out = new LinkedHashMap<>();
    for (YamlNode.Entry e : entries(n, type)) {
      out.put(e.key().text(), string(e.value()));
    }
    return out;
  }

  List<String> strings(YamlNode n) {
    List<String> out = new ArrayList<>();
    for (YamlNode item : items(n, "[]string")) {
      out.add(string(item));
    }
    return out;
  }

  /** A file name from the config, joined to the config's directory when relative. */
  String path(String p) {
    if (p == null || p.isEmpty()) {
      return null;
    }
    return dir == null ? p : dir.resolve(p).toString();
  }
}
