package dev.tsdb.rules.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.rules.yaml.YamlNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective configuration shown by /api/v1/status/config: {@code global} with its defaults
 * filled in, then the other top-level sections as the file gave them.
 */
final class EffectiveConfigYaml {
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .stringQuotingChecker(new GoQuoting()).build());

  /**
   * Quotes what Jackson quotes plus the strings Go's YAML would read back as numbers (0, -7,
   * .5, 1e3, 0x10, 1_000), as Prometheus prints them: external_labels {replica: "0"} stays a
   * string for whoever decodes the config (a Thanos sidecar does).
   */
  private static final class GoQuoting extends StringQuotingChecker.Default {
    @Override
    public boolean needToQuoteValue(String value) {
      return super.needToQuoteValue(value) || readsAsNumber(value);
    }

    private static boolean readsAsNumber(String s) {
      if (s.isEmpty() || "+-.0123456789".indexOf(s.charAt(0)) < 0) {
        return false;
      }
      if (GoNumbers.tryParseFloat(s) != null) {
        return true;
      }
      try {
        GoNumbers.parseInt(s.replace("_", ""), 0, 64);
        return true;
      } catch (NumberFormatException e) {
        return false;
      }
    }
  }

  private EffectiveConfigYaml() {}

  /** {@code root} is the parsed document (null for an empty one). */
  static String render(GlobalConfig g, YamlNode root) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Object> global = new LinkedHashMap<>();
    global.put("scrape_interval", ModelDuration.format(g.scrapeIntervalMs()));
    global.put("scrape_timeout", ModelDuration.format(g.scrapeTimeoutMs()));
    global.put("evaluation_interval", ModelDuration.format(g.evaluationIntervalMs()));
    if (g.ruleQueryOffsetMs() != 0) {
      global.put("rule_query_offset", ModelDuration.format(g.ruleQueryOffsetMs()));
    }
    if (!g.queryLogFile().isEmpty()) {
      global.put("query_log_file", g.queryLogFile());
    }
    if (!g.externalLabels().isEmpty()) {
      Map<String, String> ext = new LinkedHashMap<>();
      g.externalLabels().forEach(ext::put);
      global.put("external_labels", ext);
    }
    out.put("global", global);
    if (root instanceof YamlNode.Mapping m) {
      for (YamlNode.Entry e : m.entries()) {
        if (!e.key().text().equals("global") && !YamlDecoder.isNull(e.value())) {
          out.put(e.key().text(), plain(e.value(), e.key().text()));
        }
      }
    }
    try {
      return YAML.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Keys whose values Prometheus's config types hold as secrets (common/config's Secret:
   * basic_auth password, authorization credentials, oauth2 client_secret, bearer_token, sigv4
   * secret_key, service discovery tokens): shown as {@code <secret>}, left out when empty, as
   * Prometheus marshals them.
   */
  private static final Set<String> SECRET_KEYS = Set.of("password", "credentials",
      "client_secret", "bearer_token", "secret_key", "token");
  private static final String SECRET = "<secret>";

  /**
   * Maps, lists, strings, numbers and booleans, for the YAML writer; {@code key} is the entry
   * the node is the value of (null for list items), for the secrets in it.
   */
  private static Object plain(YamlNode n, String key) {
    if (n instanceof YamlNode.Mapping m) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (YamlNode.Entry e : m.entries()) {
        String k = e.key().text();
        boolean secret = SECRET_KEYS.contains(k) || k.equals("key") && "tls_config".equals(key)
            || k.equals("secrets") && "http_headers".equals(key);
        if (secret || "proxy_connect_header".equals(key)) {
          Object masked = masked(e.value());
          if (masked != null) {
            out.put(k, masked);
          }
        } else if ("http_headers".equals(key)) {
          out.put(k, plain(e.value(), "http_headers")); // a header: its "secrets" are masked
        } else {
          out.put(k, plain(e.value(), k));
        }
      }
      return out;
    }
    if (n instanceof YamlNode.Sequence s) {
      List<Object> out = new ArrayList<>();
      s.items().forEach(i -> out.add(plain(i, null)));
      return out;
    }
    YamlNode.Scalar s = (YamlNode.Scalar) n;
    return switch (s.kind()) {
      case NULL -> null;
      case BOOL -> YamlDecoder.isTrue(s.text());
      case INT -> integer(s);
      case FLOAT -> number(s.text(), false);
      case STR -> s.text();
    };
  }

  /** A secret, or a list of them: {@code <secret>} for each non-empty one; null when empty. */
  private static Object masked(YamlNode n) {
    if (n instanceof YamlNode.Sequence s) {
      List<Object> out = new ArrayList<>();
      s.items().forEach(i -> out.add(SECRET));
      return out.isEmpty() ? null : out;
    }
    if (n instanceof YamlNode.Scalar s && (s.kind() == YamlNode.Scalar.Kind.NULL
        || s.text().isEmpty())) {
      return null;
    }
    return SECRET;
  }

  /** An int as Go's yaml reads it (0x1F, 0777 octal...); past int64 as {@link #number}. */
  private static Object integer(YamlNode.Scalar s) {
    try {
      return s.int64();
    } catch (NumberFormatException beyondInt64) {
      return number(s.text(), true);
    }
  }

  /** The number a YAML number literal stands for; its text when Java does not read it. */
  private static Object number(String text, boolean integer) {
    String t = text.replace("_", "");
    try {
      if (integer) {
        BigInteger b = new BigInteger(t);
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
      }
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
