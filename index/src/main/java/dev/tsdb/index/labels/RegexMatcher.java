package dev.tsdb.index.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A fully anchored regex with fast paths for the shapes label matchers use most: {@code .*},
 * {@code .+}, literal strings, literal alternations {@code a|b|c} and prefixes {@code foo.*}.
 * Everything else falls back to java.util.regex with the pattern wrapped as {@code ^(?s:re)$}
 * (Prometheus anchors the same way and lets {@code .} match newlines).
 */
final class RegexMatcher {
  private final Pattern pattern; // null when a fast path decides everything
  private final boolean matchAll;
  private final boolean matchNonEmpty;
  private final List<String> setMatches; // literal alternation, or null
  private final String prefix; // literal prefix ("" if none)
  private final boolean prefixThenAny; // pattern is exactly prefix + ".*"

  private RegexMatcher(Pattern pattern, boolean matchAll, boolean matchNonEmpty,
      List<String> setMatches, String prefix, boolean prefixThenAny) {
    this.pattern = pattern;
    this.matchAll = matchAll;
    this.matchNonEmpty = matchNonEmpty;
    this.setMatches = setMatches;
    this.prefix = prefix;
    this.prefixThenAny = prefixThenAny;
  }

  static RegexMatcher compile(String re) {
    Pattern p;
    try {
      p = Pattern.compile("^(?s:" + GoRegex.toJava(re) + ")$");
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "error parsing regexp: " + e.getDescription() + ": `" + re + "`", e);
    }
    if (re.equals(".*")) {
      return new RegexMatcher(null, true, false, null, "", true);
    }
    if (re.equals(".+")) {
      return new RegexMatcher(null, false, true, null, "", false);
    }
    List<String> set = literalAlternation(re);
    if (set != null) {
      return new RegexMatcher(null, false, false, set, commonPrefix(set), false);
    }
    if (re.endsWith(".*")) {
      String head = re.substring(0, re.length() - 2);
      if (isLiteral(head)) {
        return new RegexMatcher(null, false, false, null, head, true);
      }
    }
    return new RegexMatcher(p, false, false, null, literalHead(re), false);
  }

  boolean matches(String s) {
    if (matchAll) {
      return true;
    }
    if (matchNonEmpty) {
      return !s.isEmpty();
    }
    if (setMatches != null) {
      for (int i = 0, n = setMatches.size(); i < n; i++) {
        if (setMatches.get(i).equals(s)) {
          return true;
        }
      }
      return false;
    }
    if (prefixThenAny) {
      return s.startsWith(prefix);
    }
    if (!s.startsWith(prefix)) {
      return false;
    }
    return pattern.matcher(s).matches();
  }

  boolean isMatchAll() {
    return matchAll;
  }

  boolean isMatchNonEmpty() {
    return matchNonEmpty;
  }

  List<String> setMatches() {
    return setMatches;
  }

  String prefix() {
    return prefix;
  }

  private static boolean isMeta(char c) {
    return "\\.+*?()|[]{}^$".indexOf(c) >= 0;
  }

  private static boolean isLiteral(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (isMeta(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** "a|b|c" (optionally in one non-capturing or capturing group) as a list; else null. */
  private static List<String> literalAlternation(String re) {
    String body = re;
    if (body.startsWith("(?:") && body.endsWith(")")) {
      body = body.substring(3, body.length() - 1);
    } else if (body.startsWith("(") && body.endsWith(")") && !body.startsWith("(?")) {
      body = body.substring(1, body.length() - 1);
    }
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length(); i++) {
      if (i == body.length() || body.charAt(i) == '|') {
        String alt = body.substring(start, i);
        if (!isLiteral(alt)) {
          return null;
        }
        out.add(alt);
        start = i + 1;
      } else if (isMeta(body.charAt(i))) {
        return null;
      }
    }
    return out;
  }

  private static String commonPrefix(List<String> values) {
    String p = values.get(0);
    for (String v : values) {
      int n = 0;
      while (n < p.length() && n < v.length() && p.charAt(n) == v.charAt(n)) {
        n++;
      }
      p = p.substring(0, n);
    }
    return p;
  }

  /** Literal characters at the start of a top-level regex without alternation; else "". */
  private static String literalHead(String re) {
    if (re.indexOf('|') >= 0) {
      return "";
    }
    int i = 0;
    while (i < re.length() && !isMeta(re.charAt(i))) {
      i++;
    }
    // A quantifier right after the literal run applies to its last character.
    if (i < re.length() && "*?{".indexOf(re.charAt(i)) >= 0 && i > 0) {
      i--;
    }
    return re.substring(0, i);
  }
}
