package dev.tsdb.gocompat;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A Go regular expression (package regexp: RE2 syntax, leftmost-first semantics, matching in time
 * linear in the input), compiled the way Prometheus compiles it for each use. Every Prometheus
 * regex in the server goes through this class; it runs on re2j, a Java port of Go's regexp.
 *
 * <p>The three ways Prometheus compiles a regex:
 * <ul>
 *   <li>{@link #compile}: {@code regexp.Compile(re)} as is (template functions {@code match},
 *       {@code reReplaceAll}); it matches anywhere in the input unless the pattern anchors it.
 *   <li>{@link #compileAnchored}: {@code regexp.Compile("^(?s:" + re + ")$")} (relabelling,
 *       {@code label_replace}, the CORS origin): the text is pasted into the anchoring, so
 *       {@code a)|(b} is accepted, and errors quote the anchored text.
 *   <li>{@link #compileLabelMatcher}: label matchers {@code =~}/{@code !~}: {@code re} must parse
 *       on its own (errors quote it), then it matches whole values with {@code .} matching
 *       newlines, like {@code ^(?s:re)$}.
 * </ul>
 *
 * <p>Syntax errors throw {@link IllegalArgumentException} with Go's text, e.g.
 * {@code error parsing regexp: missing closing ): `(a`}.
 *
 * <p>Where re2j 1.8 differs from Go (1.24, which Prometheus 3.5 is built with); each is pinned by
 * a test in GoRegexTest:
 * <ul>
 *   <li>Unicode tables are older: newer scripts such as {@code \p{Adlam}} are rejected
 *       ("invalid character class range") and classes like {@code \pL} miss newer characters.
 *   <li>Duplicate group names ({@code (?P<n>a)|(?P<n>b)}) are rejected ("duplicate capture group
 *       name"); Go accepts them.
 *   <li>Go's size limits are not checked: nested counted repetitions whose product exceeds 1000
 *       ({@code (a{100}){100}}) and nesting deeper than 1000 are accepted (Go: "invalid repeat
 *       count", "expression nests too deeply"); matching is still linear, only the compiled
 *       program is large. Nesting so deep that the parser overflows the stack is reported with
 *       Go's "expression nests too deeply" text.
 *   <li>Two error texts differ and are translated here: an unmatched {@code )} (re2j: "internal
 *       error: stack underflow"; Go: "unexpected )") and a trailing backslash (Go appends
 *       {@code : ``}).
 * </ul>
 */
public final class GoRegex {
  /** Go's regexp/syntax maxHeight. */
  private static final int MAX_NESTING = 1000;

  private final String source;
  private final Pattern pattern;
  /** Whether a match must span the whole input (label matchers); else Go's unanchored search. */
  private final boolean wholeInput;

  private GoRegex(String source, Pattern pattern, boolean wholeInput) {
    this.source = source;
    this.pattern = pattern;
    this.wholeInput = wholeInput;
  }

  /** Go's {@code regexp.Compile(re)}. */
  public static GoRegex compile(String re) {
    return new GoRegex(re, parse(re, 0), false);
  }

  /**
   * Go's {@code regexp.Compile("^(?s:" + re + ")$")}, as Prometheus compiles relabel and
   * label_replace regexes.
   */
  public static GoRegex compileAnchored(String re) {
    Pattern standalone = tryParse(re);
    if (standalone != null) {
      // The same language as the pasted form, without a second compile.
      return new GoRegex(re, standalone, true);
    }
    // re alone is not a regex, but pasted into the anchoring it may be (e.g. "a)|(b").
    return new GoRegex(re, parse("^(?s:" + re + ")$", 0), false);
  }

  /**
   * A label matcher's regex: parsed on its own (so errors quote {@code re}), then matched
   * against whole values with {@code .} matching newlines.
   */
  public static GoRegex compileLabelMatcher(String re) {
    Pattern p = tryParse(re);
    if (p == null) {
      parse(re, 0); // throws with the text Go reports for re
    }
    return new GoRegex(re, p, true);
  }

  /** {@code re} with DOTALL, or null when it does not parse on its own. */
  private static Pattern tryParse(String re) {
    checkNesting(re);
    try {
      return Pattern.compile(re, Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      return null;
    }
  }

  private static Pattern parse(String re, int flags) {
    checkNesting(re);
    try {
      return Pattern.compile(re, flags);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(goErrorText(re, e), e);
    }
  }

  /**
   * Go's nesting limit, which re2j lacks: its recursive parser would overflow the stack (slowly)
   * on deep enough input. Counts open groups; Go counts syntax-tree height, which agrees for
   * nested groups.
   */
  private static void checkNesting(String re) {
    if (GroupDepth.of(re) > MAX_NESTING) {
      throw new IllegalArgumentException(
          "error parsing regexp: expression nests too deeply: `" + re + "`");
    }
  }

  /** Go's regexp/syntax error text for re2j's exception. */
  private static String goErrorText(String re, PatternSyntaxException e) {
    String code = e.getDescription();
    String expr = e.getPattern();
    if (code.endsWith("internal error") && expr.equals("stack underflow")) {
      code = "unexpected )"; // re2j's report of a ')' without '('
      expr = re;
    }
    return "error parsing regexp: " + code + ": `" + expr + "`";
  }

  /** The regex as written, before any anchoring. */
  public String source() {
    return source;
  }

  /** Number of capturing groups. */
  public int groupCount() {
    return pattern.groupCount();
  }

  /**
   * Go's {@code MatchString}: whether the regex matches {@code s}. The anchored forms therefore
   * say whether it matches all of {@code s}; {@link #compile} finds a match anywhere in it.
   */
  public boolean matches(CharSequence s) {
    Matcher m = pattern.matcher(s);
    return wholeInput ? m.matches() : m.find();
  }

  /** Go's {@code FindStringSubmatchIndex}: the leftmost match and its groups, or null. */
  public GoRegexMatch find(String s) {
    Matcher m = pattern.matcher(s);
    boolean found = wholeInput ? m.matches() : m.find();
    return found ? new GoRegexMatch(m, s, pattern.namedGroups()) : null;
  }

  /**
   * Go's {@code ReplaceAllString}: each non-overlapping match replaced by {@code template}
   * expanded as {@link GoRegexExpand} does. An empty match right after a match is not replaced,
   * and the search always moves on by at least one code point.
   */
  public String replaceAll(String src, String template) {
    Matcher m = pattern.matcher(src);
    GoRegexMatch match = new GoRegexMatch(m, src, pattern.namedGroups());
    StringBuilder out = new StringBuilder(src.length());
    int copied = 0; // src[0, copied) is in out
    int searchFrom = 0;
    while (searchFrom <= src.length() && findFrom(m, searchFrom)) {
      int start = m.start();
      int end = m.end();
      out.append(src, copied, start);
      if (end > copied || start == 0) {
        GoRegexExpand.expand(out, template, match);
      }
      copied = end;
      if (end > searchFrom) {
        searchFrom = end;
      } else {
        searchFrom += searchFrom < src.length() ? Character.charCount(src.codePointAt(searchFrom))
            : 1;
      }
    }
    out.append(src, copied, src.length());
    return out.toString();
  }

  private boolean findFrom(Matcher m, int from) {
    if (wholeInput) {
      return from == 0 && m.matches();
    }
    return m.find(from);
  }

  @Override
  public String toString() {
    return source;
  }
}
