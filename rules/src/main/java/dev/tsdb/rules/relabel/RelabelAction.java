package dev.tsdb.rules.relabel;

import java.util.Locale;

/** Relabel actions, spelled as in configuration files (case-insensitive there). */
public enum RelabelAction {
  REPLACE, KEEP, DROP, KEEPEQUAL, DROPEQUAL, HASHMOD, LABELMAP, LABELDROP, LABELKEEP, LOWERCASE,
  UPPERCASE;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses an action name.
   *
   * @throws IllegalArgumentException "unknown relabel action "x"" as Prometheus reports it
   */
  public static RelabelAction parse(String s) {
    for (RelabelAction a : values()) {
      if (a.configName().equals(s.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown relabel action \"" + s + "\"");
  }
}
