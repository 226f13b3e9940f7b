package dev.tsdb.rules.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the first document of a YAML text into {@link YamlNode}s with positions, using Jackson's
 * streaming YAML parser (so positions come from Jackson's JsonLocation). Anchors, aliases and
 * {@code <<} merge keys are resolved here, since the streaming parser only reports them. Returns
 * null for an empty document.
 */
public final class YamlReader {
  private static final YAMLFactory FACTORY = factory();

  /**
   * SnakeYAML refuses documents over 3 MB by default; generated rule files can be larger. An
   * empty plain value ({@code key:}) is null, as in Go's YAML; the builder does not turn that
   * default parser feature on by itself.
   */
  private static YAMLFactory factory() {
    org.yaml.snakeyaml.LoaderOptions lo = new org.yaml.snakeyaml.LoaderOptions();
    lo.setCodePointLimit(256 * 1024 * 1024);
    return YAMLFactory.builder().loaderOptions(lo)
        .enable(com.fasterxml.jackson.dataformat.yaml.YAMLParser.Feature.EMPTY_STRING_AS_NULL)
        .build();
  }

  private YamlReader() {}

  /** A YAML syntax error with Go-like text: {@code yaml: line 3: ...}. */
  public static final class YamlSyntaxException extends Exception {
    public YamlSyntaxException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static YamlNode read(String content) throws YamlSyntaxException {
    try (JsonParser p = FACTORY.createParser(content)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return null;
      }
      return new YamlReader().readValue(p, t);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      String msg = e.getOriginalMessage();
      int line = loc != null ? loc.getLineNr() : 0;
      throw new YamlSyntaxException("yaml: line " + line + ": " + firstLine(msg), e);
    } catch (IOException e) {
      throw new YamlSyntaxException("yaml: " + e.getMessage(), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid YAML";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private final Map<String, YamlNode> anchors = new HashMap<>();

  private YamlNode readValue(JsonParser p, JsonToken t) throws IOException {
    YAMLParser yp = (YAMLParser) p;
    if (yp.isCurrentAlias()) {
      String name = p.getText();
      YamlNode target = anchors.get(name);
      if (target == null) {
        throw new IOException("unknown anchor '" + name + "' referenced");
      }
      return target;
    }
    String anchor = yp.getObjectId();
    YamlNode n = readNode(p, t);
    if (anchor != null) {
      anchors.put(anchor, n);
    }
    return n;
  }

  private YamlNode readNode(JsonParser p, JsonToken t) throws IOException {
    JsonLocation loc = p.currentTokenLocation();
    int line = loc.getLineNr();
    int col = loc.getColumnNr();
    switch (t) {
      case START_OBJECT -> {
        List<YamlNode.Entry> entries = new ArrayList<>();
        List<YamlNode> merges = new ArrayList<>();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          JsonLocation kl = p.currentTokenLocation();
          YamlNode.Scalar key = new YamlNode.Scalar(p.currentName(), YamlNode.Scalar.Kind.STR,
              kl.getLineNr(), kl.getColumnNr());
          YamlNode value = readValue(p, p.nextToken());
          if (key.text().equals("<<")) {
            merges.add(value);
          } else {
            entries.add(new YamlNode.Entry(key, value));
          }
        }
        // Merge keys: entries of the merged mappings that are not set explicitly.
        Set<String> explicit = new HashSet<>();
        entries.forEach(e -> explicit.add(e.key().text()));
        for (YamlNode m : merges) {
          List<YamlNode> sources = m instanceof YamlNode.Sequence s ? s.items() : List.of(m);
          for (YamlNode src : sources) {
            if (!(src instanceof YamlNode.Mapping sm)) {
              throw new IOException("map merge requires map or sequence of maps as the value");
            }
            for (YamlNode.Entry e : sm.entries()) {
              if (explicit.add(e.key().text())) {
                entries.add(e);
              }
            }
          }
        }
        return new YamlNode.Mapping(entries, line, col);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          items.add(readValue(p, t));
        }
        return new YamlNode.Sequence(items, line, col);
      }
      case VALUE_STRING -> {
        return new YamlNode.Scalar(p.getText(), YamlNode.Scalar.Kind.STR, line, col);
      }
      case VALUE_NUMBER_INT -> {
        return new YamlNode.Scalar(p.getText(), YamlNode.Scalar.Kind.INT, line, col);
      }
      case VALUE_NUMBER_FLOAT -> {
        return new YamlNode.Scalar(p.getText(), YamlNode.Scalar.Kind.FLOAT, line, col);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new YamlNode.Scalar(p.getText(), YamlNode.Scalar.Kind.BOOL, line, col);
      }
      case VALUE_NULL -> {
        return new YamlNode.Scalar("", YamlNode.Scalar.Kind.NULL, line, col);
      }
      default -> throw new IOException("unexpected YAML token " + t);
    }
  }
}
