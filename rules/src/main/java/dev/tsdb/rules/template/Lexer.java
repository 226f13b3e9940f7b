package dev.tsdb.rules.template;

import dev.tsdb.gocompat.GoStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Splits a template into items the way Go's text/template/parse lexer does: text outside
 * {@code {{ }}}, and inside actions spaces, punctuation, literals, fields, variables, identifiers
 * and keywords. Trim markers ({@code {{- } and {@code -}}}) remove adjacent whitespace from the
 * text; comments ({@code {{/* ... *}{@code /}}}) produce nothing. The whole input is lexed up
 * front; an error item ends the list.
 */
final class Lexer {
  enum Type {
    ERROR, BOOL, CHAR, CHAR_CONSTANT, ASSIGN, DECLARE, EOF, FIELD, IDENTIFIER, LEFT_DELIM,
    LEFT_PAREN, NUMBER, PIPE, RAW_STRING, RIGHT_DELIM, RIGHT_PAREN, SPACE, STRING, TEXT, VARIABLE,
    // keywords
    BLOCK, BREAK, CONTINUE, DOT, DEFINE, ELSE, END, IF, NIL, RANGE, TEMPLATE, WITH
  }

  record Item(Type type, int pos, String val, int line) {
    @Override
    public String toString() {
      return switch (type) {
        case EOF -> "EOF";
        case ERROR -> val;
        default -> type.ordinal() >= Type.BLOCK.ordinal() ? "<" + val + ">" : quoteItem(val);
      };
    }

    private static String quoteItem(String v) {
      return v.length() > 10 ? GoStrings.quote(v.substring(0, 10)) + "..." : GoStrings.quote(v);
    }
  }

  private static final Map<String, Type> KEYWORDS = Map.ofEntries(
      Map.entry(".", Type.DOT), Map.entry("block", Type.BLOCK), Map.entry("break", Type.BREAK),
      Map.entry("continue", Type.CONTINUE), Map.entry("define", Type.DEFINE),
      Map.entry("else", Type.ELSE), Map.entry("end", Type.END), Map.entry("if", Type.IF),
      Map.entry("range", Type.RANGE), Map.entry("nil", Type.NIL),
      Map.entry("template", Type.TEMPLATE), Map.entry("with", Type.WITH));

  private static final String LEFT = "{{";
  private static final String RIGHT = "}}";

  private final String input;
  private final List<Item> items = new ArrayList<>();
  private int pos;
  private int start;
  private int parenDepth;

  private Lexer(String input) {
    this.input = input;
  }

  static List<Item> lex(String input) {
    Lexer l = new Lexer(input);
    l.run();
    return l.items;
  }

  private void run() {
    boolean ok = true;
    while (ok) {
      ok = lexText();
    }
  }

  private void emit(Type t) {
    items.add(new Item(t, start, input.substring(start, pos), lineAt(input, start)));
    start = pos;
  }

  private void ignore() {
    start = pos;
  }

  private boolean error(String msg) {
    items.add(new Item(Type.ERROR, start, msg, lineAt(input, Math.min(pos, input.length()))));
    return false;
  }

  /** 1-based line number of a character offset. */
  static int lineAt(String s, int offset) {
    int n = 1;
    for (int i = 0; i < offset && i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }

  private int next() {
    if (pos >= input.length()) {
      pos = input.length() + 1; // so backup() restores EOF position consistently
      return -1;
    }
    int c = input.codePointAt(pos);
    pos += Character.charCount(c);
    return c;
  }

  private void backup() {
    if (pos > input.length()) {
      pos = input.length();
      return;
    }
    pos -= Character.charCount(input.codePointBefore(pos));
  }

  private int peek() {
    return pos < input.length() ? input.codePointAt(pos) : -1;
  }

  private static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static boolean isAlphaNumeric(int c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  /** Lexes text up to the next action; false when input ended or an error was emitted. */
  private boolean lexText() {
    int x = input.indexOf(LEFT, pos);
    if (x < 0) {
      pos = input.length();
      if (pos > start) {
        emit(Type.TEXT);
      }
      items.add(new Item(Type.EOF, pos, "", lineAt(input, pos)));
      return false;
    }
    pos = x;
    int textEnd = pos;
    boolean trim = hasLeftTrimMarker(x + LEFT.length());
    if (trim) {
      while (textEnd > start && isSpace(input.charAt(textEnd - 1))) {
        textEnd--;
      }
    }
    if (textEnd > start) {
      int savedPos = pos;
      pos = textEnd;
      emit(Type.TEXT);
      pos = savedPos;
    }
    ignore();
    return lexLeftDelim(trim);
  }

  private boolean hasLeftTrimMarker(int at) {
    return at + 1 < input.length() && input.charAt(at) == '-' && isSpace(input.charAt(at + 1));
  }

  private boolean lexLeftDelim(boolean trim) {
    pos += LEFT.length();
    int afterMarker = trim ? 2 : 0;
    if (input.startsWith("/*", pos + afterMarker)) {
      pos += afterMarker;
      ignore();
      return lexComment();
    }
    emit(Type.LEFT_DELIM);
    pos += afterMarker;
    ignore();
    parenDepth = 0;
    return lexInsideAction();
  }

  private boolean lexComment() {
    pos += 2;
    int x = input.indexOf("*/", pos);
    if (x < 0) {
      return error("unclosed comment");
    }
    pos = x + 2;
    int delim = atRightDelim();
    if (delim == 0) {
      return error("comment ends before closing delimiter");
    }
    pos += delim == 2 ? 2 : 0;
    pos += RIGHT.length();
    if (delim == 2) {
      skipLeadingSpace();
    }
    ignore();
    return true;
  }

  /** 0: not at a right delimiter; 1: plain {@code }}}; 2: trim-marked {@code  -}}}. */
  private int atRightDelim() {
    if (pos + 1 < input.length() && isSpace(input.charAt(pos)) && input.charAt(pos + 1) == '-'
        && input.startsWith(RIGHT, pos + 2)) {
      return 2;
    }
    return input.startsWith(RIGHT, pos) ? 1 : 0;
  }

  private void skipLeadingSpace() {
    while (pos < input.length() && isSpace(input.charAt(pos))) {
      pos++;
    }
  }

  private boolean lexRightDelim(boolean trim) {
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length();
    emit(Type.RIGHT_DELIM);
    if (trim) {
      skipLeadingSpace();
      ignore();
    }
    return true;
  }

  private boolean lexInsideAction() {
    while (true) {
      int delim = atRightDelim();
      if (delim != 0) {
        if (parenDepth == 0) {
          return lexRightDelim(delim == 2);
        }
        return error("unclosed left paren");
      }
      int r = next();
      if (r == -1) {
        return error("unclosed action");
      } else if (isSpace(r)) {
        backup();
        if (!lexSpace()) {
          return true; // the space belonged to a trim-marked right delimiter already emitted
        }
      } else if (r == '=') {
        emit(Type.ASSIGN);
      } else if (r == ':') {
        if (next() != '=') {
          return error("expected :=");
        }
        emit(Type.DECLARE);
      } else if (r == '|') {
        emit(Type.PIPE);
      } else if (r == '"') {
        if (!lexQuote()) {
          return false;
        }
      } else if (r == '`') {
        if (!lexRawQuote()) {
          return false;
        }
      } else if (r == '$') {
        if (!lexVariable()) {
          return false;
        }
      } else if (r == '\'') {
        if (!lexChar()) {
          return false;
        }
      } else if (r == '.') {
        if (pos < input.length() && Character.isDigit(input.charAt(pos))) {
          backup();
          if (!lexNumber()) {
            return false;
          }
        } else if (!lexFieldOrVariable(Type.FIELD)) {
          return false;
        }
      } else if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
        backup();
        if (!lexNumber()) {
          return false;
        }
      } else if (isAlphaNumeric(r)) {
        backup();
        if (!lexIdentifier()) {
          return false;
        }
      } else if (r == '(') {
        emit(Type.LEFT_PAREN);
        parenDepth++;
      } else if (r == ')') {
        emit(Type.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) {
          return error("unexpected right paren");
        }
      } else if (r < 0x80 && r >= 0x20 && r != 0x7f) {
        emit(Type.CHAR);
      } else {
        return error("unrecognized character in action: " + formatRune(r));
      }
    }
  }

  /** Go's %#U: {@code U+0041 'A'}, or just {@code U+00A0} for unprintable runes. */
  static String formatRune(int r) {
    String u = String.format("U+%04X", r);
    boolean printable = r >= 0x20 && r != 0x7f && !(r >= 0x80 && r <= 0xa0) && r != 0xad
        && Character.isDefined(r) && !Character.isISOControl(r)
        && Character.getType(r) != Character.SPACE_SEPARATOR;
    return printable ? u + " '" + new String(Character.toChars(r)) + "'" : u;
  }

  /** Emits a SPACE item; returns false if it instead emitted a trim-marked right delimiter. */
  private boolean lexSpace() {
    int numSpaces = 0;
    while (pos < input.length() && isSpace(input.charAt(pos))) {
      next();
      numSpaces++;
    }
    // A space right before "-}}" belongs to the trim marker.
    if (pos < input.length() && input.charAt(pos) == '-' && input.startsWith(RIGHT, pos + 1)) {
      backup();
      if (numSpaces == 1) {
        lexRightDelim(true);
        return false;
      }
    }
    emit(Type.SPACE);
    return true;
  }

  private boolean atTerminator() {
    int r = peek();
    if (r == -1 || isSpace(r)) {
      return true;
    }
    switch (r) {
      case '.', ',', '|', ':', ')', '(' -> {
        return true;
      }
      default -> {
        return input.startsWith(RIGHT, pos);
      }
    }
  }

  private boolean lexIdentifier() {
    while (pos < input.length() && isAlphaNumeric(input.codePointAt(pos))) {
      next();
    }
    if (!atTerminator()) {
      return error("bad character " + formatRune(peek()));
    }
    String word = input.substring(start, pos);
    Type kw = KEYWORDS.get(word);
    if (kw != null) {
      emit(kw);
    } else if (word.charAt(0) == '.') {
      emit(Type.FIELD);
    } else if (word.equals("true") || word.equals("false")) {
      emit(Type.BOOL);
    } else {
      emit(Type.IDENTIFIER);
    }
    return true;
  }

  private boolean lexVariable() {
    if (atTerminator()) {
      emit(Type.VARIABLE);
      return true;
    }
    return lexFieldOrVariable(Type.VARIABLE);
  }

  private boolean lexFieldOrVariable(Type t) {
    if (atTerminator()) {
      emit(t == Type.VARIABLE ? Type.VARIABLE : Type.DOT);
      return true;
    }
    while (pos < input.length() && isAlphaNumeric(input.codePointAt(pos))) {
      next();
    }
    if (!atTerminator()) {
      return error("bad character " + formatRune(peek()));
    }
    emit(t);
    return true;
  }

  private boolean lexChar() {
    while (true) {
      int r = next();
      if (r == '\\') {
        int n = next();
        if (n != -1 && n != '\n') {
          continue;
        }
        return error("unterminated character constant");
      } else if (r == -1 || r == '\n') {
        return error("unterminated character constant");
      } else if (r == '\'') {
        break;
      }
    }
    emit(Type.CHAR_CONSTANT);
    return true;
  }

  private boolean lexQuote() {
    while (true) {
      int r = next();
      if (r == '\\') {
        int n = next();
        if (n != -1 && n != '\n') {
          continue;
        }
        return error("unterminated quoted string");
      } else if (r == -1 || r == '\n') {
        return error("unterminated quoted string");
      } else if (r == '"') {
        break;
      }
    }
    emit(Type.STRING);
    return true;
  }

  private boolean lexRawQuote() {
    while (true) {
      int r = next();
      if (r == -1) {
        return error("unterminated raw quoted string");
      } else if (r == '`') {
        break;
      }
    }
    emit(Type.RAW_STRING);
    return true;
  }

  private boolean lexNumber() {
    if (!scanNumber()) {
      return error("bad number syntax: " + GoStrings.quote(input.substring(start, pos)));
    }
    emit(Type.NUMBER);
    return true;
  }

  private boolean accept(String valid) {
    if (pos < input.length() && valid.indexOf(input.charAt(pos)) >= 0) {
      pos++;
      return true;
    }
    return false;
  }

  private void acceptRun(String valid) {
    while (accept(valid)) {
      // consume
    }
  }

  private boolean scanNumber() {
    accept("+-");
    String digits = "0123456789_";
    if (accept("0")) {
      if (accept("xX")) {
        digits = "0123456789abcdefABCDEF_";
      } else if (accept("oO")) {
        digits = "01234567_";
      } else if (accept("bB")) {
        digits = "01_";
      }
    }
    acceptRun(digits);
    if (accept(".")) {
      acceptRun(digits);
    }
    if (digits.length() == 11 && accept("eE")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    if (digits.length() == 23 && accept("pP")) {
      accept("+-");
      acceptRun("0123456789_");
    }
    accept("i");
    return pos >= input.length() || !isAlphaNumeric(input.codePointAt(pos));
  }
}
