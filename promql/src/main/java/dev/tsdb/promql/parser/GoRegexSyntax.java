package dev.tsdb.promql.parser;

import java.util.Set;

/**
 * Syntax check of label-matcher regexes with the rules of Go's regexp/syntax (flags Perl and
 * DotNL, as Prometheus parses them), producing Go's error text, e.g.
 * {@code error parsing regexp: missing closing ): `(`}.
 *
 * <p>This does not build a regex; it walks the pattern the way Go's parser does and reports the
 * first error Go would report. It also rejects java.util.regex-only syntax (possessive
 * quantifiers, lookaround, backreferences) that would otherwise be accepted silently.
 */
public final class GoRegexSyntax {
  private static final Set<String> POSIX_CLASSES = Set.of("alnum", "alpha", "ascii", "blank",
      "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper", "word", "xdigit");
  private static final int MAX_REPEAT = 1000;

  private final String whole;
  private int pos;
  /** Open groups minus closed ones. */
  private int depth;
  /** Whether the last parsed item can be repeated (false at start, after '(' and '|'). */
  private boolean repeatable;
  /** Start of the previous repetition operator when it was the last item, else -1. */
  private int lastRepeat = -1;

  private GoRegexSyntax(String re) {
    this.whole = re;
  }

  /** Go's error message for {@code re}, or null when Go accepts it. */
  public static String check(String re) {
    try {
      new GoRegexSyntax(re).parse();
      return null;
    } catch (SyntaxError e) {
      return "error parsing regexp: " + e.getMessage();
    }
  }

  private static final class SyntaxError extends Exception {
    SyntaxError(String code, String expr) {
      super(code + ": `" + expr + "`", null, false, false);
    }
  }

  private void parse() throws SyntaxError {
    while (pos < whole.length()) {
      int repeatStart = -1;
      char c = whole.charAt(pos);
      switch (c) {
        case '(' -> openGroup();
        case '|' -> {
          pos++;
          repeatable = false;
        }
        case ')' -> {
          if (depth == 0) {
            throw new SyntaxError("unexpected )", whole);
          }
          depth--;
          pos++;
          repeatable = true;
        }
        case '^', '$', '.' -> {
          pos++;
          repeatable = true;
        }
        case '[' -> {
          parseClass();
          repeatable = true;
        }
        case '*', '+', '?' -> {
          repeatStart = pos;
          pos++;
          repeat(repeatStart);
        }
        case '{' -> {
          int end = repeatSpec(pos);
          if (end < 0) {
            pos++; // not a repetition: a literal '{'
            repeatable = true;
          } else {
            repeatStart = pos;
            pos = end;
            repeat(repeatStart);
          }
        }
        case '\\' -> {
          escapeOutsideClass();
          repeatable = true;
        }
        default -> {
          pos += Character.charCount(whole.codePointAt(pos));
          repeatable = true;
        }
      }
      lastRepeat = repeatStart;
    }
    if (depth != 0) {
      throw new SyntaxError("missing closing )", whole);
    }
  }

  private void repeat(int opStart) throws SyntaxError {
    if (pos < whole.length() && whole.charAt(pos) == '?') {
      pos++; // non-greedy
    }
    if (lastRepeat >= 0) {
      throw new SyntaxError("invalid nested repetition operator", whole.substring(lastRepeat, pos));
    }
    if (!repeatable) {
      throw new SyntaxError("missing argument to repetition operator",
          whole.substring(opStart, pos));
    }
  }

  /** End index of a valid {@code {n}}, {@code {n,}} or {@code {n,m}} at i; -1 if none. */
  private int repeatSpec(int i) throws SyntaxError {
    int j = i + 1;
    int minStart = j;
    while (j < whole.length() && Character.isDigit(whole.charAt(j)) && whole.charAt(j) < 0x80) {
      j++;
    }
    if (j == minStart || j >= whole.length()) {
      return -1;
    }
    long min = parseCount(whole.substring(minStart, j));
    long max = min;
    if (whole.charAt(j) == ',') {
      j++;
      int maxStart = j;
      while (j < whole.length() && whole.charAt(j) >= '0' && whole.charAt(j) <= '9') {
        j++;
      }
      max = j == maxStart ? -1 : parseCount(whole.substring(maxStart, j));
    }
    if (j >= whole.length() || whole.charAt(j) != '}') {
      return -1;
    }
    j++;
    if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
      throw new SyntaxError("invalid repeat count", whole.substring(i, j));
    }
    return j;
  }

  private static long parseCount(String digits) {
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      return -1; // Go rejects leading zeros in counts
    }
    return digits.length() > 8 ? Long.MAX_VALUE : Long.parseLong(digits);
  }

  private void openGroup() throws SyntaxError {
    boolean opens = true;
    if (whole.startsWith("(?", pos)) {
      opens = perlFlags();
    } else {
      pos++;
    }
    if (opens) {
      depth++;
      repeatable = false;
    }
  }

  /**
   * {@code (?P<name>}, {@code (?<name>}, {@code (?flags)}, {@code (?flags:}; false for a
   * flags-only group, which opens nothing.
   */
  private boolean perlFlags() throws SyntaxError {
    int start = pos;
    String t = whole.substring(pos);
    boolean pNamed = t.length() > 4 && t.charAt(2) == 'P' && t.charAt(3) == '<';
    boolean named = t.length() > 3 && t.charAt(2) == '<';
    if (pNamed || named) {
      int begin = pNamed ? 4 : 3;
      int end = t.indexOf('>');
      if (end < 0) {
        throw new SyntaxError("invalid named capture", t);
      }
      String name = t.substring(begin, end);
      if (name.isEmpty() || !name.chars().allMatch(ch -> ch == '_'
          || (ch < 0x80 && Character.isLetterOrDigit(ch)))) {
        throw new SyntaxError("invalid named capture", t.substring(0, end + 1));
      }
      pos += end + 1;
      return true;
    }
    int i = pos + 2;
    boolean negated = false;
    boolean sawFlag = false;
    while (i < whole.length()) {
      char c = whole.charAt(i++);
      switch (c) {
        case 'i', 'm', 's', 'U' -> sawFlag = true;
        case '-' -> {
          if (negated) {
            throw new SyntaxError("invalid or unsupported Perl syntax",
                whole.substring(start, i));
          }
          negated = true;
          sawFlag = false;
        }
        case ':', ')' -> {
          if (negated && !sawFlag) {
            throw new SyntaxError("invalid or unsupported Perl syntax",
                whole.substring(start, i));
          }
          pos = i;
          return c == ':';
        }
        default -> throw new SyntaxError("invalid or unsupported Perl syntax",
            whole.substring(start, i));
      }
    }
    throw new SyntaxError("invalid or unsupported Perl syntax", whole.substring(start));
  }

  private void escapeOutsideClass() throws SyntaxError {
    if (pos + 1 < whole.length()) {
      char n = whole.charAt(pos + 1);
      switch (n) {
        case 'A', 'b', 'B', 'z' -> {
          pos += 2;
          return;
        }
        case 'C' -> throw new SyntaxError("invalid escape sequence", "\\C");
        case 'Q' -> {
          int end = whole.indexOf("\\E", pos + 2);
          pos = end < 0 ? whole.length() : end + 2;
          return;
        }
        case 'p', 'P' -> {
          unicodeClass();
          return;
        }
        case 'd', 'D', 's', 'S', 'w', 'W' -> {
          pos += 2;
          return;
        }
        default -> {
        }
      }
    }
    escape();
  }

  private void unicodeClass() throws SyntaxError {
    int start = pos;
    pos += 2; // \p
    if (pos >= whole.length()) {
      throw new SyntaxError("invalid character class range", whole.substring(start));
    }
    String name;
    if (whole.charAt(pos) == '{') {
      int end = whole.indexOf('}', pos);
      if (end < 0) {
        throw new SyntaxError("invalid character class range", whole.substring(start));
      }
      name = whole.substring(pos + 1, end);
      pos = end + 1;
    } else {
      int cp = whole.codePointAt(pos);
      name = new String(Character.toChars(cp));
      pos += Character.charCount(cp);
    }
    if (name.startsWith("^")) {
      name = name.substring(1);
    }
    if (!isUnicodeClassName(name)) {
      throw new SyntaxError("invalid character class range", whole.substring(start, pos));
    }
  }

  private static boolean isUnicodeClassName(String name) {
    if (name.equals("Any")) {
      return true;
    }
    if (name.length() <= 2 && !name.isEmpty() && "CLMNPSZ".indexOf(name.charAt(0)) >= 0) {
      try {
        if (name.length() == 1) {
          return true;
        }
        return categoryExists(name);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    for (Character.UnicodeScript script : Character.UnicodeScript.values()) {
      if (goScriptName(script).equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** Go's spelling of a script name: OLD_ITALIC is Old_Italic. */
  private static String goScriptName(Character.UnicodeScript script) {
    StringBuilder sb = new StringBuilder();
    for (String part : script.name().split("_")) {
      if (sb.length() > 0) {
        sb.append('_');
      }
      sb.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return sb.toString();
  }

  private static boolean categoryExists(String name) {
    try {
      java.util.regex.Pattern.compile("\\p{" + name + "}");
      return true;
    } catch (java.util.regex.PatternSyntaxException e) {
      return false;
    }
  }

  /** A single-character escape (Go's parseEscape); returns the code point. */
  private int escape() throws SyntaxError {
    int start = pos;
    pos++; // backslash
    if (pos >= whole.length()) {
      throw new SyntaxError("trailing backslash at end of expression", "");
    }
    int c = whole.codePointAt(pos);
    pos += Character.charCount(c);
    switch (c) {
      case '1', '2', '3', '4', '5', '6', '7': {
        if (pos >= whole.length() || whole.charAt(pos) < '0' || whole.charAt(pos) > '7') {
          break; // a backreference: not supported
        }
        int v = c - '0';
        for (int k = 1; k < 3 && pos < whole.length() && whole.charAt(pos) >= '0'
            && whole.charAt(pos) <= '7'; k++) {
          v = v * 8 + whole.charAt(pos++) - '0';
        }
        return v;
      }
      case '0': {
        int v = 0;
        for (int k = 1; k < 3 && pos < whole.length() && whole.charAt(pos) >= '0'
            && whole.charAt(pos) <= '7'; k++) {
          v = v * 8 + whole.charAt(pos++) - '0';
        }
        return v;
      }
      case 'x': {
        // Like Go: \x{h...} with at least one hex digit, or exactly two hex digits.
        if (pos >= whole.length()) {
          break;
        }
        int c2 = whole.codePointAt(pos);
        pos += Character.charCount(c2);
        if (c2 == '{') {
          int nhex = 0;
          long r = 0;
          while (true) {
            if (pos >= whole.length()) {
              break;
            }
            int d = whole.codePointAt(pos);
            pos += Character.charCount(d);
            if (d == '}') {
              if (nhex == 0) {
                break;
              }
              return (int) r;
            }
            int v = d < 0x80 ? Character.digit(d, 16) : -1;
            if (v < 0) {
              break;
            }
            r = r * 16 + v;
            if (r > 0x10FFFF) {
              break;
            }
            nhex++;
          }
          break;
        }
        int x = c2 < 0x80 ? Character.digit(c2, 16) : -1;
        int y = -1;
        if (pos < whole.length()) {
          int c3 = whole.codePointAt(pos);
          pos += Character.charCount(c3);
          y = c3 < 0x80 ? Character.digit(c3, 16) : -1;
        }
        if (x < 0 || y < 0) {
          break;
        }
        return x * 16 + y;
      }
      case 'a':
        return 7;
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return 0x0b;
      default:
        if (c < 0x80 && !Character.isLetterOrDigit(c)) {
          return c;
        }
        break;
    }
    throw new SyntaxError("invalid escape sequence", whole.substring(start, pos));
  }

  private void parseClass() throws SyntaxError {
    int wholeClassStart = pos;
    pos++; // [
    if (pos < whole.length() && whole.charAt(pos) == '^') {
      pos++;
    }
    boolean first = true;
    while (pos >= whole.length() || whole.charAt(pos) != ']' || first) {
      first = false;
      if (pos + 2 < whole.length() && whole.charAt(pos) == '[' && whole.charAt(pos + 1) == ':') {
        int end = whole.indexOf(":]", pos + 2);
        if (end >= 0) {
          String name = whole.substring(pos + 2, end);
          if (name.startsWith("^")) {
            name = name.substring(1);
          }
          if (!POSIX_CLASSES.contains(name)) {
            throw new SyntaxError("invalid character class range",
                whole.substring(pos, end + 2));
          }
          pos = end + 2;
          continue;
        }
      }
      if (pos + 1 < whole.length() && whole.charAt(pos) == '\\') {
        char n = whole.charAt(pos + 1);
        if (n == 'p' || n == 'P') {
          unicodeClass();
          continue;
        }
        if ("dDsSwW".indexOf(n) >= 0) {
          pos += 2;
          continue;
        }
      }
      int rangeStart = pos;
      int lo = classChar(wholeClassStart);
      if (pos + 1 < whole.length() && whole.charAt(pos) == '-' && whole.charAt(pos + 1) != ']') {
        pos++;
        int hi = classChar(wholeClassStart);
        if (hi < lo) {
          throw new SyntaxError("invalid character class range",
              whole.substring(rangeStart, pos));
        }
      }
    }
    pos++; // ]
  }

  private int classChar(int wholeClassStart) throws SyntaxError {
    if (pos >= whole.length()) {
      throw new SyntaxError("missing closing ]", whole.substring(wholeClassStart));
    }
    if (whole.charAt(pos) == '\\') {
      return escape();
    }
    int c = whole.codePointAt(pos);
    pos += Character.charCount(c);
    return c;
  }
}
