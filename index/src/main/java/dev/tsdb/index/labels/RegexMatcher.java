package dev.tsdb.index.labels;

import dev.tsdb.gocompat.GoRegex;
import java.util.ArrayList;
import java.util.List;

/**
 * A fully anchored regex with fast paths for the shapes label matchers use most: {@code .*},
 * {@code .+}, literal strings, literal alternations {@code a|b|c}, prefixes {@code foo.*},
 * suffixes {@code .*foo} and substrings {@code .*foo.*}.
 * Everything else falls back to Go's regexp ({@link GoRegex#compileLabelMatcher}: anchored as
 * {@code ^(?s:re)$}, so {@code .} matches newlines, like Prometheus). The fast-path shapes are
 * valid regexes by construction, so they are not compiled at all; they matter because the
 * linear-time engine is several times slower per value than a backtracking one.
 */
final class RegexMatcher {
  private final GoRegex pattern; // null when a fast path decides everything
  private final boolean matchAll;
  private final boolean matchNonEmpty;
  private final List<String> setMatches; // literal alternation, or null
  private final String prefix; // literal prefix ("" if none)
  private final boolean prefixThenAny; // pattern is exactly prefix + ".*"
  private final String suffix; // pattern is exactly ".*" + suffix, or null
  private final String infix; // pattern is exactly ".*" + infix + ".*", or null

  private RegexMatcher(GoRegex pattern, boolean matchAll, boolean matchNonEmpty,
      List<String> setMatches, String prefix, boolean prefixThenAny) {
    this(pattern, matchAll, matchNonEmpty, setMatches, prefix, prefixThenAny, null, null);
  }

  private RegexMatcher(GoRegex pattern, boolean matchAll, boolean matchNonEmpty,
      List<String> setMatches, String prefix, boolean prefixThenAny, String suffix,
      String infix) {
    this.pattern = pattern;
    this.matchAll = matchAll;
    this.matchNonEmpty = matchNonEmpty;
    this.setMatches = setMatches;
    this.prefix = prefix;
    this.prefixThenAny = prefixThenAny;
    this.suffix = suffix;
    this.infix = infix;
  }

  /** @throws IllegalArgumentException with Go's error text when {@code re} does not parse */
  static RegexMatcher compile(String re) {
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
      if (head.startsWith(".*") && isLiteral(head.substring(2))) {
        return new RegexMatcher(null, false, false, null, "", false, null, head.substring(2));
      }
    }
    if (re.startsWith(".*") && isLiteral(re.substring(2))) {
      return new RegexMatcher(null, false, false, null, "", false, re.substring(2), null);
    }
    return new RegexMatcher(GoRegex.compileLabelMatcher(re), false, false, null, literalHead(re),
        false);
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
    if (suffix != null) {
      return s.endsWith(suffix);
    }
    if (infix != null) {
      return s.contains(infix);
    }
    if (!s.startsWith(prefix)) {
      return false;
    }
    return pattern.matches(s);
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
