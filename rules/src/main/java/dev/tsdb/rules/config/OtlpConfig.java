package dev.tsdb.rules.config;

import java.util.List;

/**
 * The {@code otlp:} section of prometheus.yml, read by the OTLP receiver on every request (so a
 * reload applies to the next request):
 * <pre>
 * otlp:
 *   translation_strategy: UnderscoreEscapingWithSuffixes   # see OtlpTranslationStrategy
 *   promote_resource_attributes: [service.version]         # copied onto every series
 *   promote_all_resource_attributes: false                 # all but ignore_resource_attributes
 *   ignore_resource_attributes: []                         # only with promote_all
 *   keep_identifying_resource_attributes: false            # service.* also on target_info
 *   convert_histograms_to_nhcb: false                      # explicit buckets as native (custom)
 *   promote_scope_metadata: false                          # otel_scope_name, _version, ...
 *   label_name_underscore_sanitization: true               # "_x" -> "key_x" (after 3.5)
 *   label_name_preserve_multiple_underscores: true         # false: "a..b" -> "a_b" (after 3.5)
 * </pre>
 * The last two come from Prometheus releases after 3.5; their defaults are 3.5's behaviour.
 */
public record OtlpConfig(OtlpTranslationStrategy translationStrategy,
    List<String> promoteResourceAttributes, boolean promoteAllResourceAttributes,
    List<String> ignoreResourceAttributes, boolean keepIdentifyingResourceAttributes,
    boolean convertHistogramsToNhcb, boolean promoteScopeMetadata,
    boolean labelNameUnderscoreSanitization, boolean labelNamePreserveMultipleUnderscores) {
  /** Prometheus's DefaultOTLPConfig. */
  public static final OtlpConfig DEFAULT = new OtlpConfig(
      OtlpTranslationStrategy.UnderscoreEscapingWithSuffixes, List.of(), false, List.of(), false,
      false, false, true, true);

  public OtlpConfig {
    promoteResourceAttributes = List.copyOf(promoteResourceAttributes);
    ignoreResourceAttributes = List.copyOf(ignoreResourceAttributes);
  }
}
