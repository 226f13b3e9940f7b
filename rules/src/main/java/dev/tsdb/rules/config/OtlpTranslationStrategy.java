package dev.tsdb.rules.config;

/**
 * The {@code otlp.translation_strategy} values of Prometheus 3: whether OTLP metric and attribute
 * names are escaped to the legacy character set and whether unit and type suffixes are added.
 */
public enum OtlpTranslationStrategy {
  /** The default: names escaped to [a-zA-Z0-9_:], suffixes added. */
  UnderscoreEscapingWithSuffixes(true, true),
  /** Names escaped, no unit or type suffixes (Prometheus 3.6 adds this value; accepted here). */
  UnderscoreEscapingWithoutSuffixes(true, false),
  /** UTF-8 names kept as they are, suffixes added. */
  NoUTF8EscapingWithSuffixes(false, true),
  /** Names kept exactly as sent (experimental in Prometheus). */
  NoTranslation(false, false);

  private final boolean escapes;
  private final boolean addsSuffixes;

  OtlpTranslationStrategy(boolean escapes, boolean addsSuffixes) {
    this.escapes = escapes;
    this.addsSuffixes = addsSuffixes;
  }

  /** Whether metric and label names are reduced to Prometheus's legacy character set. */
  public boolean escapes() {
    return escapes;
  }

  /** Whether unit suffixes ({@code _seconds}), {@code _total} and {@code _ratio} are added. */
  public boolean addsSuffixes() {
    return addsSuffixes;
  }
}
