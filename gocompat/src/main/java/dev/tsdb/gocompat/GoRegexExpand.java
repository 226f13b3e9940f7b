package dev.tsdb.gocompat;

/**
 * Go's {@code Regexp.Expand} template language, used for label_replace, relabel replacements and
 * reReplaceAll:
 * <ul>
 *   <li>{@code $$} is a literal {@code $};
 *   <li>{@code $name} and {@code ${name}} insert a group, where a name is the longest run of
 *       letters, digits and {@code _} (so {@code $1x} means the group named "1x", and
 *       {@code ${1}x} is group 1 followed by "x");
 *   <li>a name of digits without a leading zero is a group number, anything else a group name;
 *   <li>a group that does not exist or did not take part in the match inserts nothing;
 *   <li>a {@code $} not followed by a valid reference (e.g. {@code $.}, {@code ${}},
 *       {@code ${a b}}) is copied as is.
 * </ul>
 */
public final class GoRegexExpand {
  /** Longer digit runs are names in Go, not numbers. */
  private static final int MAX_NUMBER_DIGITS = 9;

  private GoRegexExpand() {}

  /** Appends {@code template} expanded against {@code match} to {@code dst}. */
  public static void expand(StringBuilder dst, String template, GoRegexMatch match) {
    int i = 0;
    int n = template.length();
    while (i < n) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      dst.append(template, i, dollar);
      i = dollar + 1;
      if (i < n && template.charAt(i) == '$') {
        dst.append('$');
        i++;
        continue;
      }
      int end = referenceEnd(template, i);
      if (end < 0) {
        dst.append('$'); // not a reference: the '$' is literal text
        continue;
      }
      boolean braced = template.charAt(i) == '{';
      String name = braced ? template.substring(i + 1, end - 1) : template.substring(i, end);
      String value = group(match, name);
      if (value != null) {
        dst.append(value);
      }
      i = end;
    }
    dst.append(template, i, n);
  }

  /** End of the reference {@code name} or {@code {name}} starting at {@code i}; -1 if none. */
  private static int referenceEnd(String t, int i) {
    boolean braced = i < t.length() && t.charAt(i) == '{';
    int start = braced ? i + 1 : i;
    int j = start;
    while (j < t.length()) {
      int cp = t.codePointAt(j);
      if (cp != '_' && !Character.isLetter(cp) && !Character.isDigit(cp)) {
        break;
      }
      j += Character.charCount(cp);
    }
    if (j == start) {
      return -1;
    }
    if (!braced) {
      return j;
    }
    return j < t.length() && t.charAt(j) == '}' ? j + 1 : -1;
  }

  private static String group(GoRegexMatch match, String name) {
    int number = groupNumber(name);
    int index = number >= 0 ? number : match.groupIndex(name);
    return index >= 0 && index <= match.groupCount() ? match.group(index) : null;
  }

  /** The group number {@code name} spells, or -1 when Go reads it as a name. */
  private static int groupNumber(String name) {
    if (name.length() > MAX_NUMBER_DIGITS || (name.length() > 1 && name.charAt(0) == '0')) {
      return -1;
    }
    int n = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
