package dev.tsdb.rules.relabel;

import dev.tsdb.gocompat.GoRegex;
import java.util.List;

/**
 * One relabel rule ({@code relabel_configs}, {@code alert_relabel_configs}) with Prometheus's
 * defaults: separator ";", regex "(.*)" (fully anchored), replacement "$1", action replace.
 *
 * @param regexText the regex as written (unanchored), for display and equality
 */
public record RelabelConfig(List<String> sourceLabels, String separator, String regexText,
    GoRegex regex, long modulus, String targetLabel, String replacement, RelabelAction action) {
  public static final String DEFAULT_SEPARATOR = ";";
  public static final String DEFAULT_REGEX = "(.*)";
  public static final String DEFAULT_REPLACEMENT = "$1";

  public RelabelConfig {
    sourceLabels = List.copyOf(sourceLabels);
  }

  /**
   * Builds and validates a config (relabel.Config.Validate). Null arguments take defaults.
   *
   * @throws IllegalArgumentException with Prometheus's message when invalid
   */
  public static RelabelConfig of(List<String> sourceLabels, String separator, String regex,
      Long modulus, String targetLabel, String replacement, String action) {
    if (action != null && action.isEmpty()) {
      throw new IllegalArgumentException("relabel action cannot be empty");
    }
    RelabelAction a = action == null ? RelabelAction.REPLACE : RelabelAction.parse(action);
    String sep = separator == null ? DEFAULT_SEPARATOR : separator;
    String re = regex == null ? DEFAULT_REGEX : regex;
    String repl = replacement == null ? DEFAULT_REPLACEMENT : replacement;
    String target = targetLabel == null ? "" : targetLabel;
    long mod = modulus == null ? 0 : modulus;
    GoRegex p = GoRegex.compileAnchored(re); // throws with Go's error text
    List<String> sources = sourceLabels == null ? List.of() : sourceLabels;
    RelabelConfig c = new RelabelConfig(sources, sep, re, p, mod, target, repl, a);
    c.validate(sourceLabels != null);
    return c;
  }

  private static boolean hasVar(String s) {
    return s.contains("$");
  }

  private void validate(boolean sourceLabelsSet) {
    String an = action.configName();
    if (modulus == 0 && action == RelabelAction.HASHMOD) {
      throw new IllegalArgumentException(
          "relabel configuration for hashmod requires non-zero modulus");
    }
    boolean needsTarget = switch (action) {
      case REPLACE, HASHMOD, LOWERCASE, UPPERCASE, KEEPEQUAL, DROPEQUAL -> true;
      default -> false;
    };
    if (needsTarget && targetLabel.isEmpty()) {
      throw new IllegalArgumentException("relabel configuration for " + an
          + " action requires 'target_label' value");
    }
    if (action == RelabelAction.REPLACE && !hasVar(targetLabel) && targetLabel.isEmpty()) {
      throw new IllegalArgumentException("\"" + targetLabel + "\" is invalid 'target_label' for "
          + an + " action");
    }
    boolean equalOrCase = action == RelabelAction.LOWERCASE || action == RelabelAction.UPPERCASE
        || action == RelabelAction.KEEPEQUAL || action == RelabelAction.DROPEQUAL;
    if (equalOrCase && !replacement.equals(DEFAULT_REPLACEMENT)) {
      throw new IllegalArgumentException("'replacement' can not be set for " + an + " action");
    }
    if (action == RelabelAction.LABELMAP && !hasVar(replacement) && replacement.isEmpty()) {
      throw new IllegalArgumentException("\"" + replacement + "\" is invalid 'replacement' for "
          + an + " action");
    }
    if ((action == RelabelAction.DROPEQUAL || action == RelabelAction.KEEPEQUAL)
        && (!regexText.equals(DEFAULT_REGEX) || modulus != 0
            || !separator.equals(DEFAULT_SEPARATOR) || !replacement.equals(DEFAULT_REPLACEMENT))) {
      throw new IllegalArgumentException(an
          + " action requires only 'source_labels' and `target_label`, and no other fields");
    }
    if ((action == RelabelAction.LABELDROP || action == RelabelAction.LABELKEEP)
        && (sourceLabelsSet || !targetLabel.isEmpty() || modulus != 0
            || !separator.equals(DEFAULT_SEPARATOR) || !replacement.equals(DEFAULT_REPLACEMENT))) {
      throw new IllegalArgumentException(an + " action requires only 'regex', and no other fields");
    }
  }
}
