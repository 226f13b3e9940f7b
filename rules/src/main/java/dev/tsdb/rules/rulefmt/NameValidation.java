package dev.tsdb.rules.rulefmt;

import dev.tsdb.index.labels.LabelStrings;

/**
 * Metric and label name validation scheme. Prometheus 3.x defaults to UTF8 (any non-empty valid
 * UTF-8 name); LEGACY is the 2.x pattern {@code [a-zA-Z_][a-zA-Z0-9_]*} ({@code :} allowed in
 * metric names).
 */
public enum NameValidation {
  UTF8, LEGACY;

  public boolean isValidLabelName(String name) {
    return this == LEGACY ? LabelStrings.isLegacyName(name) : !name.isEmpty() && validUtf16(name);
  }

  public boolean isValidMetricName(String name) {
    return this == LEGACY ? LabelStrings.isLegacyMetricName(name)
        : !name.isEmpty() && validUtf16(name);
  }

  /** A Java string is valid UTF-8 once encoded unless it holds unpaired surrogates. */
  static boolean validUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
