package dev.tsdb.index.labels;

/**
 * Translates the RE2 syntax Prometheus accepts into java.util.regex syntax where the two differ.
 * Named groups {@code (?P<name>...)} become {@code (?<name>...)}; {@code \z} is the same; the
 * rest of the common subset (classes, quantifiers, flags i/m/s/U) already agrees.
 */
public final class GoRegex {
  private GoRegex() {}

  public static String toJava(String re) {
    if (re.indexOf("(?P<") < 0) {
      return re;
    }
    return re.replace("(?P<", "(?<");
  }
}
