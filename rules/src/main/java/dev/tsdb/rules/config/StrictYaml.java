package dev.tsdb.rules.config;

import dev.tsdb.rules.yaml.YamlNode;
import dev.tsdb.rules.yaml.YamlReader;
import java.util.List;
import java.util.Map;

/**
 * Go's strict YAML decoding (yaml.UnmarshalStrict) for other config formats than prometheus.yml,
 * e.g. the web configuration file: the same type, unknown-field and repeated-field errors as
 * the Prometheus config, collected and reported together by {@link #check()}.
 */
public final class StrictYaml {
  private final YamlDecoder d = new YamlDecoder(null);

  /** The document's root node, null for an empty document. */
  public static YamlNode parse(String text) throws ConfigException {
    try {
      return YamlReader.read(text);
    } catch (YamlReader.YamlSyntaxException e) {
      throw new ConfigException(e.getMessage(), e);
    }
  }

  /** Throws the collected decoding errors as Go's "yaml: unmarshal errors:" message. */
  public void check() throws ConfigException {
    if (!d.errors.isEmpty()) {
      throw new ConfigException("yaml: unmarshal errors:\n  " + String.join("\n  ", d.errors));
    }
  }

  public List<YamlNode.Entry> entries(YamlNode n, String type) {
    return d.entries(n, type);
  }

  public void unknown(YamlNode.Entry e, String type) {
    d.unknown(e, type);
  }

  public void typeError(YamlNode n, String into) {
    d.typeError(n, into);
  }

  public String string(YamlNode n) {
    return d.string(n);
  }

  public boolean bool(YamlNode n) {
    return d.bool(n);
  }

  public long int64(YamlNode n) {
    return d.int64(n);
  }

  public List<String> strings(YamlNode n) {
    return d.strings(n);
  }

  public Map<String, String> stringMap(YamlNode n, String type) {
    return d.stringMap(n, type);
  }

  public static boolean isNull(YamlNode n) {
    return YamlDecoder.isNull(n);
  }
}
