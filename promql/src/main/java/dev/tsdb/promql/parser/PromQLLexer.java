package dev.tsdb.promql.parser;

import dev.tsdb.gocompat.GoStrings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PromQL's modal lexer, written to behave like Prometheus's (promql/parser/lex.go): the same
 * token boundaries, the same modes and the same error messages at the same positions.
 *
 * <ul>
 *   <li>Statement mode: operators, numbers/durations, strings, identifiers and keywords
 *       (case-insensitive), comments from {@code #} to end of line.
 *   <li>Inside {@code {...}}: only identifiers (keywords are plain names), strings, commas and
 *       the four match operators.
 *   <li>Right after {@code [}: a duration expression (numbers, durations, + - * / % ^, parens,
 *       step(), range(), min_of(), max_of()); after its first number the statement rules apply
 *       again, with {@code :} allowed once.
 *   <li>Series descriptions (test scripts): after the metric, spaces are tokens and values use
 *       {@code _}, {@code x}, {@code +}, {@code -}, {@code stale}; {@code {{} starts a native
 *       histogram.
 * </ul>
 *
 * The first lexical error ends the token stream: an ERROR token carries the message and the
 * position upstream reports; an EOF token follows it.
 */
final class PromQLLexer {
  private static final Map<String, TokenKind> KEYWORDS = new HashMap<>();

  static {
    String[][] words = {
      {"and", "LAND"}, {"or", "LOR"}, {"unless", "LUNLESS"}, {"atan2", "ATAN2"},
      {"sum", "SUM"}, {"avg", "AVG"}, {"count", "COUNT"}, {"min", "MIN"}, {"max", "MAX"},
      {"group", "GROUP"}, {"stddev", "STDDEV"}, {"stdvar", "STDVAR"}, {"topk", "TOPK"},
      {"bottomk", "BOTTOMK"}, {"count_values", "COUNT_VALUES"}, {"quantile", "QUANTILE"},
      {"limitk", "LIMITK"}, {"limit_ratio", "LIMIT_RATIO"},
      {"offset", "OFFSET"}, {"smoothed", "SMOOTHED"}, {"anchored", "ANCHORED"}, {"by", "BY"},
      {"without", "WITHOUT"}, {"on", "ON"}, {"ignoring", "IGNORING"},
      {"group_left", "GROUP_LEFT"}, {"group_right", "GROUP_RIGHT"}, {"fill", "FILL"},
      {"fill_left", "FILL_LEFT"}, {"fill_right", "FILL_RIGHT"}, {"bool", "BOOL"},
      {"start", "START"}, {"end", "END"}, {"step", "STEP"}, {"range", "RANGE"},
      {"min_of", "MIN_OF"}, {"max_of", "MAX_OF"},
      {"inf", "NUMBER"}, {"nan", "NUMBER"},
    };
    for (String[] w : words) {
      KEYWORDS.put(w[0], TokenKind.valueOf(w[1]));
    }
  }

  private static final int EOF_CHAR = -1;

  private final String input;
  private final boolean seriesDesc;
  private final List<Lexeme> tokens = new ArrayList<>();

  private int pos;
  private int start;
  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  /** Inside brackets, before the first number: upstream's lexDurationExpr state. */
  private boolean durationMode;
  private boolean gotColon;
  private boolean valueSequence;
  private char stringOpen;
  private boolean done;

  private PromQLLexer(String input, boolean seriesDesc) {
    this.input = input;
    this.seriesDesc = seriesDesc;
  }

  /** Tokens of an expression (or metric selector); comments are dropped. */
  static List<Lexeme> lex(String input) {
    return new PromQLLexer(input, false).run();
  }

  /** Tokens of a series description ({@code metric{labels} values...}). */
  static List<Lexeme> lexSeries(String input) {
    return new PromQLLexer(input, true).run();
  }

  private List<Lexeme> run() {
    while (!done) {
      if (braceOpen) {
        insideBraces();
      } else if (bracketOpen && durationMode) {
        durationExpression();
      } else if (valueSequence) {
        valueSequenceStep();
      } else {
        statement();
      }
    }
    return tokens;
  }

  // ---- primitives ----

  private int next() {
    if (pos >= input.length()) {
      return EOF_CHAR; // like upstream: width 0, so backup() is a no-op
    }
    int c = input.codePointAt(pos);
    pos += Character.charCount(c);
    return c;
  }

  private int peek() {
    return pos >= input.length() ? EOF_CHAR : input.codePointAt(pos);
  }

  private void backup(int c) {
    if (c != EOF_CHAR) {
      pos -= Character.charCount(c);
    }
  }

  private boolean accept(String valid) {
    int c = next();
    if (c != EOF_CHAR && valid.indexOf(c) >= 0) {
      return true;
    }
    backup(c);
    return false;
  }

  private boolean is(String valid) {
    int c = peek();
    return c != EOF_CHAR && valid.indexOf(c) >= 0;
  }

  private void acceptRun(String valid) {
    while (accept(valid)) {
      // consume
    }
  }

  private void emit(TokenKind kind) {
    tokens.add(new Lexeme(kind, start, pos, input.substring(start, pos)));
    start = pos;
  }

  private void ignore() {
    start = pos;
  }

  /** Ends the stream with an error reported at {@code errorPos}. */
  private void fail(String message, int errorPos) {
    tokens.add(new Lexeme(TokenKind.ERROR, errorPos, input.length(), message));
    tokens.add(new Lexeme(TokenKind.EOF, input.length(), input.length(), ""));
    done = true;
  }

  private void fail(String message) {
    fail(message, start);
  }

  /** Upstream overwrites the just-emitted item with the error; so does this. */
  private void failAfterEmit(String message) {
    tokens.remove(tokens.size() - 1);
    fail(message, start);
  }

  private void emitEof() {
    start = Math.min(pos, input.length());
    pos = start;
    tokens.add(new Lexeme(TokenKind.EOF, start, start, ""));
    done = true;
  }

  static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  static boolean isAlpha(int c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  static boolean isAlphaNumeric(int c) {
    return isAlpha(c) || isDigit(c);
  }

  private void skipSpaces() {
    while (isSpace(peek())) {
      next();
    }
    ignore();
  }

  private boolean atComment() {
    return input.startsWith("#", pos);
  }

  private void lineComment() {
    pos++;
    while (pos < input.length() && input.charAt(pos) != '\n' && input.charAt(pos) != '\r') {
      pos++;
    }
    ignore(); // upstream emits COMMENT items and the parser drops them
  }

  // ---- statement mode ----

  private void statement() {
    if (atComment()) {
      lineComment();
      return;
    }
    int r = next();
    if (r == EOF_CHAR) {
      if (parenDepth != 0) {
        pos = input.length();
        start = pos;
        fail("unclosed left parenthesis");
      } else if (bracketOpen) {
        pos = input.length();
        start = pos;
        fail("unclosed left bracket");
      } else {
        emitEof();
      }
      return;
    }
    switch (r) {
      case ',' -> emit(TokenKind.COMMA);
      case '*' -> emit(TokenKind.MUL);
      case '/' -> emit(TokenKind.DIV);
      case '%' -> emit(TokenKind.MOD);
      case '+' -> emit(TokenKind.ADD);
      case '-' -> emit(TokenKind.SUB);
      case '^' -> emit(TokenKind.POW);
      case '=' -> {
        int t = peek();
        if (t == '=') {
          next();
          emit(TokenKind.EQLC);
        } else if (t == '~') {
          fail("unexpected character after '=': " + GoStrings.quoteRune(t));
        } else {
          emit(TokenKind.EQL);
        }
      }
      case '!' -> {
        int t = next();
        if (t != '=') {
          fail("unexpected character after '!': " + GoStrings.quoteRune(runeOrError(t)));
          return;
        }
        emit(TokenKind.NEQ);
      }
      case '<' -> {
        if (peek() == '=') {
          next();
          emit(TokenKind.LTE);
        } else if (peek() == '/') {
          next();
          emit(TokenKind.TRIM_UPPER);
        } else {
          emit(TokenKind.LSS);
        }
      }
      case '>' -> {
        if (peek() == '=') {
          next();
          emit(TokenKind.GTE);
        } else if (peek() == '/') {
          next();
          emit(TokenKind.TRIM_LOWER);
        } else {
          emit(TokenKind.GTR);
        }
      }
      case '"', '\'' -> {
        stringOpen = (char) r;
        quotedString();
      }
      case '`' -> {
        stringOpen = '`';
        rawString();
      }
      case '(' -> {
        emit(opensLabelList() ? TokenKind.GROUP_PAREN : TokenKind.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        emit(TokenKind.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) {
          failAfterEmit("unexpected right parenthesis ')'");
        }
      }
      case '{' -> {
        emit(TokenKind.LEFT_BRACE);
        braceOpen = true;
      }
      case '[' -> {
        if (bracketOpen) {
          fail("unexpected left bracket '['");
          return;
        }
        gotColon = false;
        emit(TokenKind.LEFT_BRACKET);
        skipSpaces();
        bracketOpen = true;
        durationMode = true;
      }
      case ']' -> {
        if (!bracketOpen) {
          fail("unexpected right bracket ']'");
          return;
        }
        emit(TokenKind.RIGHT_BRACKET);
        bracketOpen = false;
      }
      case '@' -> emit(TokenKind.AT);
      default -> {
        if (isSpace(r)) {
          skipSpaces();
        } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup(r);
          numberOrDuration();
        } else if (isAlpha(r) || r == ':') {
          if (!bracketOpen) {
            backup(r);
            keywordOrIdentifier();
          } else {
            insideBracketWord(r);
          }
        } else {
          fail("unexpected character: " + GoStrings.quoteRune(r));
        }
      }
    }
  }

  /** True when the previous token is a keyword whose '(' always starts a label list. */
  private boolean opensLabelList() {
    if (tokens.isEmpty()) {
      return false;
    }
    TokenKind prev = tokens.get(tokens.size() - 1).kind();
    return prev == TokenKind.BY || prev == TokenKind.WITHOUT || prev == TokenKind.ON
        || prev == TokenKind.IGNORING || prev == TokenKind.GROUP_LEFT
        || prev == TokenKind.GROUP_RIGHT;
  }

  private static int runeOrError(int c) {
    return c == EOF_CHAR ? 0xFFFD : c;
  }

  /** A letter or ':' after the first number inside brackets. */
  private void insideBracketWord(int r) {
    if (r == ':') {
      if (gotColon) {
        fail("unexpected colon ':'");
        return;
      }
      emit(TokenKind.COLON);
      gotColon = true;
      return;
    }
    if (durationKeyword(r)) {
      return;
    }
    pos = start + Character.charCount(r);
    fail("unexpected character: " + GoStrings.quoteRune(r) + ", expected ':'");
  }

  /** Scans step/range/min_of/max_of (any case) starting with the already-read rune r. */
  private boolean durationKeyword(int r) {
    if ("sSmMrR".indexOf(r) < 0) {
      return false;
    }
    while (isAlpha(peek())) {
      next();
    }
    String word = input.substring(start, pos).toLowerCase(Locale.ROOT);
    TokenKind kind = switch (word) {
      case "step" -> TokenKind.STEP;
      case "range" -> TokenKind.RANGE;
      case "min_of" -> TokenKind.MIN_OF;
      case "max_of" -> TokenKind.MAX_OF;
      default -> null;
    };
    if (kind == null) {
      return false;
    }
    emit(kind);
    return true;
  }

  private void keywordOrIdentifier() {
    while (true) {
      int r = next();
      if (!(isAlphaNumeric(r) || r == ':')) {
        backup(r);
        break;
      }
    }
    String word = input.substring(start, pos);
    TokenKind kw = KEYWORDS.get(word.toLowerCase(Locale.ROOT));
    if (kw != null) {
      // fill/fill_left/fill_right are keywords only before '(' so they stay usable as names.
      boolean fill = kw == TokenKind.FILL || kw == TokenKind.FILL_LEFT
          || kw == TokenKind.FILL_RIGHT;
      emit(fill && !followedByLeftParen() ? TokenKind.IDENTIFIER : kw);
    } else if (word.indexOf(':') < 0) {
      emit(TokenKind.IDENTIFIER);
    } else {
      emit(TokenKind.METRIC_IDENTIFIER);
    }
    if (seriesDesc && peek() != '{') {
      valueSequence = true;
    }
  }

  private boolean followedByLeftParen() {
    for (int p = pos; p < input.length(); p++) {
      char c = input.charAt(p);
      if (!isSpace(c)) {
        return c == '(';
      }
    }
    return false;
  }

  // ---- numbers and durations ----

  private void numberOrDuration() {
    if (scanNumber()) {
      emit(TokenKind.NUMBER);
      return;
    }
    if (acceptRemainingDuration()) {
      backup(peekBack());
      emit(TokenKind.DURATION);
      return;
    }
    fail("bad number or duration syntax: " + GoStrings.quote(input.substring(start, pos)));
  }

  private int lastRead = EOF_CHAR;

  private int peekBack() {
    return lastRead;
  }

  /**
   * Upstream's acceptRemainingDuration: a unit (with an optional trailing 's' for ms), then
   * digit runs each followed by a unit; true when the next rune is not alphanumeric. The rune
   * after the duration is consumed (and remembered for backup) like upstream.
   */
  private boolean acceptRemainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s");
    while (accept("0123456789")) {
      while (accept("0123456789")) {
        // consume
      }
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    lastRead = next();
    // In series descriptions a repetition ("1mx3") may follow directly.
    return !isAlphaNumeric(lastRead) || (seriesDesc && lastRead == 'x');
  }

  /** Upstream's scanNumber: decimal, hex, octal or float; validity is checked when parsed. */
  private boolean scanNumber() {
    int initial = pos;
    String digits = "0123456789";
    if (!seriesDesc && accept("0") && accept("xX")) {
      accept("_");
      digits = "0123456789abcdefABCDEF";
    }
    accept(".");
    accept(digits);
    boolean dot = false;
    boolean exponent = false;
    while (is(digits + "._eE")) {
      if (is(".") && dot) {
        accept(".");
        return false;
      }
      if (is("eE") && exponent) {
        accept("eE");
        return false;
      }
      if (accept(".")) {
        dot = true;
        if (accept("_.")) {
          return false;
        }
        if (digits.length() > 10) {
          return false; // no fractional hex literals
        }
        continue;
      }
      if (accept("eE")) {
        exponent = true;
        accept("+-");
        if (accept("._eE") || peek() == EOF_CHAR) {
          return false;
        }
        continue;
      }
      if (accept("_")) {
        if (accept("._eE") || peek() == EOF_CHAR) {
          return false;
        }
        continue;
      }
      acceptRun(digits);
    }
    if (pos == initial) {
      return false;
    }
    int r = peek();
    return (seriesDesc && r == 'x') || !isAlphaNumeric(r);
  }

  // ---- strings ----

  private void quotedString() {
    while (true) {
      int c = next();
      if (c == '\\') {
        if (!escape()) {
          return;
        }
        continue;
      }
      if (c == 0xFFFD) {
        fail("invalid UTF-8 rune");
        return;
      }
      if (c == EOF_CHAR || c == '\n') {
        fail("unterminated quoted string");
        return;
      }
      if (c == stringOpen) {
        break;
      }
    }
    emit(TokenKind.STRING);
  }

  /** Validates one escape sequence after a backslash; false when it failed the lexer. */
  private boolean escape() {
    int ch = next();
    int n;
    int base;
    int max;
    switch (ch) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\':
        return true;
      case '0', '1', '2', '3', '4', '5', '6', '7':
        n = 3;
        base = 8;
        max = 255;
        break;
      case 'x':
        ch = next();
        n = 2;
        base = 16;
        max = 255;
        break;
      case 'u':
        ch = next();
        n = 4;
        base = 16;
        max = 0x10FFFF;
        break;
      case 'U':
        ch = next();
        n = 8;
        base = 16;
        max = 0x10FFFF;
        break;
      case EOF_CHAR:
        fail("escape sequence not terminated");
        return false;
      default:
        if (ch == stringOpen) {
          return true;
        }
        fail("unknown escape sequence " + GoStrings.formatU(ch));
        return false;
    }
    long x = 0;
    while (n > 0) {
      int d = digitVal(ch);
      if (d >= base) {
        if (ch == EOF_CHAR) {
          fail("escape sequence not terminated");
        } else {
          fail("illegal character " + GoStrings.formatU(ch) + " in escape sequence");
        }
        return false;
      }
      x = x * base + d;
      n--;
      if (n > 0) {
        ch = next();
      }
    }
    if (x > max || (0xD800 <= x && x < 0xE000)) {
      fail("escape sequence is an invalid Unicode code point");
      return false;
    }
    return true;
  }

  private static int digitVal(int ch) {
    if (ch >= '0' && ch <= '9') {
      return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
      return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return 16;
  }

  private void rawString() {
    while (true) {
      int c = next();
      if (c == 0xFFFD) {
        fail("invalid UTF-8 rune");
        return;
      }
      if (c == EOF_CHAR) {
        fail("unterminated raw string");
        return;
      }
      if (c == '`') {
        break;
      }
    }
    emit(TokenKind.STRING);
  }

  // ---- inside braces ----

  private void insideBraces() {
    if (atComment()) {
      lineComment();
      return;
    }
    int r = next();
    if (r == EOF_CHAR) {
      pos = input.length();
      start = pos;
      fail("unexpected end of input inside braces");
      return;
    }
    if (isSpace(r)) {
      skipSpaces();
      return;
    }
    if (isAlpha(r)) {
      while (isAlphaNumeric(peek())) {
        next();
      }
      emit(TokenKind.IDENTIFIER);
      return;
    }
    switch (r) {
      case ',' -> emit(TokenKind.COMMA);
      case '"', '\'' -> {
        stringOpen = (char) r;
        quotedString();
      }
      case '`' -> {
        stringOpen = '`';
        rawString();
      }
      case '=' -> {
        if (peek() == '~') {
          next();
          emit(TokenKind.EQL_REGEX);
        } else {
          emit(TokenKind.EQL);
        }
      }
      case '!' -> {
        int nr = next();
        if (nr == '~') {
          emit(TokenKind.NEQ_REGEX);
        } else if (nr == '=') {
          emit(TokenKind.NEQ);
        } else {
          fail("unexpected character after '!' inside braces: "
              + GoStrings.quoteRune(runeOrError(nr)));
        }
      }
      case '{' -> fail("unexpected left brace '{'");
      case '}' -> {
        emit(TokenKind.RIGHT_BRACE);
        braceOpen = false;
        if (seriesDesc) {
          valueSequence = true;
        }
      }
      default -> fail("unexpected character inside braces: " + GoStrings.quoteRune(r));
    }
  }

  // ---- duration expressions right after '[' ----

  private void durationExpression() {
    int r = next();
    if (r == EOF_CHAR) {
      pos = input.length();
      start = pos;
      fail("unexpected end of input in duration expression");
      return;
    }
    switch (r) {
      case ']' -> {
        emit(TokenKind.RIGHT_BRACKET);
        bracketOpen = false;
        durationMode = false;
        gotColon = false;
      }
      case ':' -> {
        emit(TokenKind.COLON);
        failAfterEmit("unexpected colon before duration in duration expression");
      }
      case '(' -> {
        emit(TokenKind.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        emit(TokenKind.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) {
          failAfterEmit("unexpected right parenthesis ')'");
        }
      }
      case '+' -> emit(TokenKind.ADD);
      case '-' -> emit(TokenKind.SUB);
      case '*' -> emit(TokenKind.MUL);
      case '/' -> emit(TokenKind.DIV);
      case '%' -> emit(TokenKind.MOD);
      case '^' -> emit(TokenKind.POW);
      case ',' -> emit(TokenKind.COMMA);
      default -> {
        if (isSpace(r)) {
          skipSpaces();
        } else if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup(r);
          durationMode = false;
          numberOrDuration();
        } else if (!durationKeyword(r)) {
          pos = start + Character.charCount(r);
          fail("unexpected character in duration expression: " + GoStrings.quoteRune(r));
        }
      }
    }
  }

  // ---- series descriptions ----

  private void valueSequenceStep() {
    int r = next();
    if (r == EOF_CHAR) {
      valueSequence = false;
      backup(r);
      return;
    }
    if (r == '{' && peek() == '{') {
      next();
      emit(TokenKind.OPEN_HIST);
      // Native histogram values are not supported by this lexer; the parser reports them.
      pos = input.length();
      start = pos;
      emitEof();
      return;
    }
    if (isSpace(r)) {
      emit(TokenKind.SPACE);
      skipSpaces();
      return;
    }
    switch (r) {
      case '+' -> emit(TokenKind.ADD);
      case '-' -> emit(TokenKind.SUB);
      case 'x' -> emit(TokenKind.TIMES);
      case '_' -> emit(TokenKind.BLANK);
      case '@' -> emit(TokenKind.AT);
      default -> {
        if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup(r);
          if (scanNumber()) {
            emit(TokenKind.NUMBER);
          } else if (acceptRemainingDuration()) {
            backup(lastRead);
            emit(TokenKind.DURATION);
          } else {
            fail("bad number syntax: " + GoStrings.quote(input.substring(start, pos)));
          }
        } else if (isAlpha(r)) {
          backup(r);
          keywordOrIdentifier();
        } else {
          fail("unexpected character in series sequence: " + GoStrings.quoteRune(r));
        }
      }
    }
  }
}
