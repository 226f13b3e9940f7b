package dev.tsdb.rules.template;

import dev.tsdb.gocompat.GoFloat;
import dev.tsdb.gocompat.GoStrings;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The parts of Go's {@code fmt} package templates reach: {@code %v} printing of values,
 * {@code print}/{@code println}, and {@code printf} with the common verbs and flags. Values are
 * the template value model: String, Double (float64), Long/Integer (int), BigInteger (uint64),
 * Boolean, null (nil), {@link GoMap}, {@link GoSlice}, List and {@link GoStruct}.
 */
public final class GoFmt {
  private GoFmt() {}

  /** Go type name of a template value, as %T and error messages print it. */
  public static String typeName(Object v) {
    if (v == null) {
      return "<nil>";
    } else if (v instanceof String) {
      return "string";
    } else if (v instanceof Double) {
      return "float64";
    } else if (v instanceof Long || v instanceof Integer) {
      return "int";
    } else if (v instanceof BigInteger) {
      return "uint64";
    } else if (v instanceof Boolean) {
      return "bool";
    } else if (v instanceof GoMap m) {
      return m.typeName();
    } else if (v instanceof GoSlice s) {
      return s.typeName();
    } else if (v instanceof GoStruct s) {
      return s.goType();
    } else if (v instanceof List) {
      return "[]interface {}";
    } else if (v instanceof Map) {
      return "map[string]interface {}";
    }
    return v.getClass().getSimpleName();
  }

  /** {@code fmt.Sprint(v)} for one operand (the %v form). */
  public static String sprintValue(Object v) {
    StringBuilder sb = new StringBuilder();
    appendValue(sb, v, false);
    return sb.toString();
  }

  private static void appendValue(StringBuilder sb, Object v, boolean nested) {
    if (v == null) {
      sb.append("<nil>");
    } else if (v instanceof String s) {
      sb.append(s);
    } else if (v instanceof Double d) {
      sb.append(GoFloat.format(d, 'g', -1));
    } else if (v instanceof GoMap m) {
      sb.append("map[");
      boolean first = true;
      for (Map.Entry<String, ?> e : m.entries().entrySet()) {
        if (!first) {
          sb.append(' ');
        }
        first = false;
        sb.append(e.getKey()).append(':');
        appendValue(sb, e.getValue(), true);
      }
      sb.append(']');
    } else if (v instanceof GoSlice s) {
      appendList(sb, s.elems());
    } else if (v instanceof List<?> l) {
      appendList(sb, l);
    } else {
      sb.append(v);
    }
  }

  private static void appendList(StringBuilder sb, List<?> l) {
    sb.append('[');
    for (int i = 0; i < l.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      appendValue(sb, l.get(i), true);
    }
    sb.append(']');
  }

  /** {@code fmt.Sprint(args...)}: spaces between operands when neither side is a string. */
  public static String sprint(List<Object> args) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (i > 0 && !(a instanceof String) && !(args.get(i - 1) instanceof String)) {
        sb.append(' ');
      }
      appendValue(sb, a, false);
    }
    return sb.toString();
  }

  /** {@code fmt.Sprintln(args...)}: always spaces, trailing newline. */
  public static String sprintln(List<Object> args) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      appendValue(sb, args.get(i), false);
    }
    return sb.append('\n').toString();
  }

  /** Flags and sizes of one printf directive. */
  private static final class Spec {
    boolean minus;
    boolean plus;
    boolean sharp;
    boolean space;
    boolean zero;
    int width = -1;
    int prec = -1;
  }

  /** {@code fmt.Sprintf(format, args...)}. */
  public static String sprintf(String format, List<Object> args) {
    StringBuilder sb = new StringBuilder();
    int argi = 0;
    int n = format.length();
    int i = 0;
    while (i < n) {
      char c = format.charAt(i);
      if (c != '%') {
        sb.append(c);
        i++;
        continue;
      }
      i++;
      Spec spec = new Spec();
      flags:
      while (i < n) {
        switch (format.charAt(i)) {
          case '-' -> spec.minus = true;
          case '+' -> spec.plus = true;
          case '#' -> spec.sharp = true;
          case ' ' -> spec.space = true;
          case '0' -> spec.zero = true;
          default -> {
            break flags;
          }
        }
        i++;
      }
      if (i < n && format.charAt(i) == '*') {
        i++;
        if (argi < args.size() && args.get(argi) instanceof Number num) {
          spec.width = num.intValue();
          if (spec.width < 0) {
            spec.minus = true;
            spec.width = -spec.width;
          }
        } else {
          sb.append("%!(BADWIDTH)");
        }
        argi++;
      } else {
        int start = i;
        while (i < n && Character.isDigit(format.charAt(i))) {
          i++;
        }
        if (i > start) {
          spec.width = Integer.parseInt(format.substring(start, i));
        }
      }
      if (i < n && format.charAt(i) == '.') {
        i++;
        if (i < n && format.charAt(i) == '*') {
          i++;
          if (argi < args.size() && args.get(argi) instanceof Number num) {
            spec.prec = Math.max(num.intValue(), 0);
          } else {
            sb.append("%!(BADPREC)");
          }
          argi++;
        } else {
          int start = i;
          while (i < n && Character.isDigit(format.charAt(i))) {
            i++;
          }
          spec.prec = i > start ? Integer.parseInt(format.substring(start, i)) : 0;
        }
      }
      if (i >= n) {
        sb.append("%!(NOVERB)");
        break;
      }
      char verb = format.charAt(i);
      i += Character.charCount(format.codePointAt(i));
      if (verb == '%') {
        sb.append('%');
        continue;
      }
      if (argi >= args.size()) {
        sb.append("%!").append(verb).append("(MISSING)");
        continue;
      }
      Object arg = args.get(argi++);
      formatOne(sb, spec, verb, arg);
    }
    if (argi < args.size()) {
      sb.append("%!(EXTRA ");
      for (int k = argi; k < args.size(); k++) {
        if (k > argi) {
          sb.append(", ");
        }
        sb.append(typeName(args.get(k))).append('=');
        appendValue(sb, args.get(k), false);
      }
      sb.append(')');
    }
    return sb.toString();
  }

  private static void badVerb(StringBuilder sb, char verb, Object arg) {
    sb.append("%!").append(verb).append('(');
    if (arg == null) {
      sb.append("<nil>");
    } else {
      sb.append(typeName(arg)).append('=');
      appendValue(sb, arg, false);
    }
    sb.append(')');
  }

  private static boolean isInt(Object v) {
    return v instanceof Long || v instanceof Integer || v instanceof BigInteger;
  }

  private static BigInteger toBig(Object v) {
    return v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue());
  }

  private static void formatOne(StringBuilder sb, Spec spec, char verb, Object arg) {
    switch (verb) {
      case 'v' -> {
        if (arg instanceof Double d) {
          padNumber(sb, spec, signed(spec, GoFloat.format(d, 'g', spec.prec < 0 ? -1 : spec.prec)));
        } else if (isInt(arg)) {
          padNumber(sb, spec, signed(spec, toBig(arg).toString()));
        } else {
          pad(sb, spec, sprintValue(arg));
        }
      }
      case 'T' -> pad(sb, spec, typeName(arg));
      case 's' -> {
        if (arg instanceof String s) {
          pad(sb, spec, truncate(s, spec.prec));
        } else if (arg instanceof GoStruct || arg instanceof GoMap || arg instanceof GoSlice
            || arg instanceof List) {
          pad(sb, spec, truncate(sprintValue(arg), spec.prec));
        } else {
          badVerb(sb, verb, arg);
        }
      }
      case 'q' -> {
        if (arg instanceof String s) {
          pad(sb, spec, spec.sharp && s.indexOf('`') < 0 ? "`" + s + "`" : GoStrings.quote(s));
        } else if (isInt(arg)) {
          pad(sb, spec, GoStrings.quoteRune(toBig(arg).intValue()));
        } else {
          badVerb(sb, verb, arg);
        }
      }
      case 'd' -> {
        if (isInt(arg)) {
          padNumber(sb, spec, signed(spec, toBig(arg).toString()));
        } else {
          badVerb(sb, verb, arg);
        }
      }
      case 'b', 'o', 'x', 'X' -> {
        if (isInt(arg)) {
          BigInteger b = toBig(arg);
          int radix = verb == 'b' ? 2 : verb == 'o' ? 8 : 16;
          String digits = b.abs().toString(radix);
          if (verb == 'X') {
            digits = digits.toUpperCase();
          }
          if (spec.sharp) {
            digits = (verb == 'b' ? "0b" : verb == 'o' ? "0" : verb == 'x' ? "0x" : "0X") + digits;
          }
          padNumber(sb, spec, signed(spec, b.signum() < 0 ? "-" + digits : digits));
        } else if (arg instanceof String s && (verb == 'x' || verb == 'X')) {
          StringBuilder hex = new StringBuilder();
          for (byte bt : s.getBytes(StandardCharsets.UTF_8)) {
            hex.append(String.format(verb == 'x' ? "%02x" : "%02X", bt & 0xff));
          }
          pad(sb, spec, hex.toString());
        } else {
          badVerb(sb, verb, arg);
        }
      }
      case 'c' -> {
        if (isInt(arg)) {
          pad(sb, spec, new String(Character.toChars(toBig(arg).intValue())));
        } else {
          badVerb(sb, verb, arg);
        }
      }
      case 't' -> {
        if (arg instanceof Boolean b) {
          pad(sb, spec, b.toString());
        } else {
          badVerb(sb, verb, arg);
        }
      }
      case 'e', 'E', 'f', 'F', 'g', 'G' -> {
        if (arg instanceof Double d) {
          char f = verb == 'F' ? 'f' : verb;
          int prec = spec.prec;
          if (prec < 0 && (f == 'e' || f == 'E' || f == 'f')) {
            prec = 6;
          }
          String s = GoFloat.format(d, f, prec);
          if (spec.sharp && s.indexOf('.') < 0 && !Double.isNaN(d) && !Double.isInfinite(d)) {
            s = s + ".";
          }
          padNumber(sb, spec, signed(spec, s));
        } else {
          badVerb(sb, verb, arg);
        }
      }
      default -> badVerb(sb, verb, arg);
    }
  }

  private static String truncate(String s, int prec) {
    if (prec < 0 || s.codePointCount(0, s.length()) <= prec) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, prec));
  }

  private static String signed(Spec spec, String s) {
    if (s.startsWith("-") || s.startsWith("+")) {
      return s;
    }
    if (spec.plus) {
      return "+" + s;
    }
    if (spec.space) {
      return " " + s;
    }
    return s;
  }

  private static void pad(StringBuilder sb, Spec spec, String s) {
    int len = s.codePointCount(0, s.length());
    if (spec.width <= len) {
      sb.append(s);
      return;
    }
    String fill = (spec.zero && !spec.minus ? "0" : " ").repeat(spec.width - len);
    if (spec.minus) {
      sb.append(s).append(fill);
    } else {
      sb.append(fill).append(s);
    }
  }

  /** Pads a number: zero padding goes after the sign, and never for Inf/NaN. */
  private static void padNumber(StringBuilder sb, Spec spec, String s) {
    int len = s.length();
    if (spec.width <= len) {
      sb.append(s);
      return;
    }
    boolean special = s.endsWith("Inf") || s.endsWith("NaN");
    if (spec.zero && !spec.minus && !special) {
      int signLen = s.startsWith("-") || s.startsWith("+") || s.startsWith(" ") ? 1 : 0;
      sb.append(s, 0, signLen).append("0".repeat(spec.width - len)).append(s.substring(signLen));
    } else if (spec.minus) {
      sb.append(s).append(" ".repeat(spec.width - len));
    } else {
      sb.append(" ".repeat(spec.width - len)).append(s);
    }
  }
}
