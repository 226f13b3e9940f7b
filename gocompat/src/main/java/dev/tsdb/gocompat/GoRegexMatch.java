package dev.tsdb.gocompat;

import com.google.re2j.Matcher;
import java.util.Map;

/**
 * One match of a {@link GoRegex}: the input and where the match and each group lie (Go's
 * submatch indexes). Valid until the regex is matched again with the same matcher.
 */
public final class GoRegexMatch {
  private final Matcher matcher;
  private final String input;
  private final Map<String, Integer> namedGroups;

  GoRegexMatch(Matcher matcher, String input, Map<String, Integer> namedGroups) {
    this.matcher = matcher;
    this.input = input;
    this.namedGroups = namedGroups;
  }

  /** The string that was searched. */
  public String input() {
    return input;
  }

  public int groupCount() {
    return matcher.groupCount();
  }

  /** Group {@code i} (0 is the whole match), or null when it did not take part in the match. */
  public String group(int i) {
    return matcher.group(i);
  }

  /** Index of the group named {@code name}, or -1 when there is none. */
  public int groupIndex(String name) {
    Integer i = namedGroups.get(name);
    return i == null ? -1 : i;
  }

  /** Go's {@code Expand}: {@code template} with {@code $1}, {@code ${name}} etc. filled in. */
  public String expand(String template) {
    StringBuilder out = new StringBuilder(template.length() + 16);
    GoRegexExpand.expand(out, template, this);
    return out.toString();
  }
}
