package dev.tsdb.rules.util;

import dev.tsdb.index.labels.GoRegex;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go regexp behaviour that java.util.regex does not share: template expansion of replacement
 * strings ({@code $1}, {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}; a reference to a
 * missing group expands to "", and {@code $1x} names the group "1x"), and ReplaceAllString.
 */
public final class GoRegexp {
  private GoRegexp() {}

  public static Pattern compile(String re) {
    return Pattern.compile(GoRegex.toJava(re));
  }

  /** Pattern anchored as Prometheus anchors relabel regexes: {@code ^(?s:re)$}. */
  public static Pattern compileAnchored(String re) {
    return Pattern.compile("^(?s:" + GoRegex.toJava(re) + ")$");
  }

  /** Go's Regexp.Expand of {@code template} against the current match of {@code m}. */
  public static void expand(StringBuilder dst, String template, Matcher m) {
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        dst.append(c);
        i++;
        continue;
      }
      i++;
      if (i < n && template.charAt(i) == '$') {
        dst.append('$');
        i++;
        continue;
      }
      String name;
      boolean braced = i < n && template.charAt(i) == '{';
      if (braced) {
        int close = template.indexOf('}', i + 1);
        if (close < 0) {
          dst.append('$'); // malformed: Go copies the '$' literally
          continue;
        }
        name = template.substring(i + 1, close);
        if (name.isEmpty() || !isName(name)) {
          dst.append('$');
          continue;
        }
        i = close + 1;
      } else {
        int start = i;
        while (i < n && isNameChar(template.charAt(i))) {
          i++;
        }
        if (i == start) {
          dst.append('$');
          continue;
        }
        name = template.substring(start, i);
      }
      String value = group(m, name);
      if (value != null) {
        dst.append(value);
      }
    }
  }

  private static boolean isNameChar(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static boolean isName(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isNameChar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String group(Matcher m, String name) {
    boolean numeric = name.chars().allMatch(Character::isDigit);
    if (numeric) {
      try {
        int g = Integer.parseInt(name);
        return g <= m.groupCount() ? m.group(g) : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    try {
      return m.group(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Go's ReplaceAllString: every non-overlapping match replaced by the expanded template. */
  public static String replaceAll(Pattern p, String src, String template) {
    Matcher m = p.matcher(src);
    StringBuilder sb = new StringBuilder();
    int last = 0;
    while (m.find()) {
      sb.append(src, last, m.start());
      expand(sb, template, m);
      last = m.end();
    }
    sb.append(src, last, src.length());
    return sb.toString();
  }
}
