package dev.tsdb.rules.config;

import dev.tsdb.rules.yaml.YamlNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes the {@code otlp:} section with Prometheus's defaults and checks, and its messages for
 * the combinations it refuses.
 */
final class OtlpConfigDecoder {
  private final YamlDecoder d;

  OtlpConfigDecoder(YamlDecoder d) {
    this.d = d;
  }

  OtlpConfig otlp(YamlNode n) throws ConfigException {
    OtlpConfig dflt = OtlpConfig.DEFAULT;
    String strategy = "";
    List<String> promote = List.of();
    boolean promoteAll = dflt.promoteAllResourceAttributes();
    List<String> ignore = List.of();
    boolean keepIdentifying = dflt.keepIdentifyingResourceAttributes();
    boolean nhcb = dflt.convertHistogramsToNhcb();
    boolean scope = dflt.promoteScopeMetadata();
    boolean keyPrefix = dflt.labelNameUnderscoreSanitization();
    boolean multipleUnderscores = dflt.labelNamePreserveMultipleUnderscores();
    for (YamlNode.Entry e : d.entries(n, "config.plain")) {
      switch (e.key().text()) {
        case "translation_strategy" -> strategy = d.string(e.value());
        case "promote_resource_attributes" -> promote = d.strings(e.value());
        case "promote_all_resource_attributes" -> promoteAll = d.bool(e.value());
        case "ignore_resource_attributes" -> ignore = d.strings(e.value());
        case "keep_identifying_resource_attributes" -> keepIdentifying = d.bool(e.value());
        case "convert_histograms_to_nhcb" -> nhcb = d.bool(e.value());
        case "promote_scope_metadata" -> scope = d.bool(e.value());
        case "label_name_underscore_sanitization" -> keyPrefix = d.bool(e.value());
        case "label_name_preserve_multiple_underscores" ->
            multipleUnderscores = d.bool(e.value());
        default -> d.unknown(e, "config.plain");
      }
    }
    if (promoteAll) {
      if (!promote.isEmpty()) {
        throw new ConfigException("'promote_all_resource_attributes' and"
            + " 'promote_resource_attributes' cannot be configured simultaneously");
      }
      ignore = sanitize(ignore, "ignore_resource_attributes", "ignored");
    } else {
      if (!ignore.isEmpty()) {
        throw new ConfigException("'ignore_resource_attributes' cannot be configured unless"
            + " 'promote_all_resource_attributes' is true");
      }
      promote = sanitize(promote, "promote_resource_attributes", "promoted");
    }
    return new OtlpConfig(strategy(strategy), promote, promoteAll, ignore, keepIdentifying, nhcb,
        scope, keyPrefix, multipleUnderscores);
  }

  /** An empty value means the default, as in Prometheus. */
  private static OtlpTranslationStrategy strategy(String s) throws ConfigException {
    if (s.isEmpty()) {
      return OtlpConfig.DEFAULT.translationStrategy();
    }
    for (OtlpTranslationStrategy t : OtlpTranslationStrategy.values()) {
      if (t.name().equals(s)) {
        return t;
      }
    }
    throw new ConfigException("unsupported OTLP translation strategy \"" + s + "\"");
  }

  /** Trims each attribute; empty and repeated ones are errors, all of them reported. */
  private static List<String> sanitize(List<String> attrs, String field, String adjective)
      throws ConfigException {
    List<String> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String a : attrs) {
      String t = a.trim();
      if (t.isEmpty()) {
        problems.add("empty " + adjective + " OTel resource attribute");
      } else if (!seen.add(t)) {
        problems.add("duplicated " + adjective + " OTel resource attribute \"" + t + "\"");
      } else {
        out.add(t);
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException("invalid '" + field + "': " + String.join("\n", problems));
    }
    return out;
  }
}
