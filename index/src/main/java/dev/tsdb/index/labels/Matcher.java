package dev.tsdb.index.labels;

import dev.tsdb.gocompat.GoStrings;
import java.util.List;
import java.util.Objects;

/**
 * A label matcher ({@code =}, {@code !=}, {@code =~}, {@code !~}) with Prometheus semantics:
 * regexes are fully anchored, and an absent label matches as if its value were "".
 */
public final class Matcher {
  public enum Type {
    EQ("="), NEQ("!="), RE("=~"), NRE("!~");

    private final String symbol;

    Type(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public boolean isNegative() {
      return this == NEQ || this == NRE;
    }

    public boolean isRegex() {
      return this == RE || this == NRE;
    }
  }

  private final Type type;
  private final String name;
  private final String value;
  private final RegexMatcher regex; // null for EQ/NEQ

  private Matcher(Type type, String name, String value) {
    this.type = Objects.requireNonNull(type);
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    this.regex = type.isRegex() ? RegexMatcher.compile(value) : null;
  }

  /**
   * Creates a matcher.
   *
   * @throws IllegalArgumentException when a regex does not compile; the message is the reason
   */
  public static Matcher of(Type type, String name, String value) {
    return new Matcher(type, name, value);
  }

  public static Matcher eq(String name, String value) {
    return new Matcher(Type.EQ, name, value);
  }

  public static Matcher neq(String name, String value) {
    return new Matcher(Type.NEQ, name, value);
  }

  public static Matcher re(String name, String value) {
    return new Matcher(Type.RE, name, value);
  }

  public static Matcher nre(String name, String value) {
    return new Matcher(Type.NRE, name, value);
  }

  public Type type() {
    return type;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  public boolean matches(String s) {
    return switch (type) {
      case EQ -> value.equals(s);
      case NEQ -> !value.equals(s);
      case RE -> regex.matches(s);
      case NRE -> !regex.matches(s);
    };
  }

  /** Whether the matcher accepts "", i.e. also selects series that lack the label. */
  public boolean matchesEmpty() {
    return matches("");
  }

  /**
   * For {@code =} and for regexes that are a literal alternation ({@code a|b|c}), the exact
   * values the positive form accepts; otherwise null. Lets postings lookups avoid scanning all
   * values of a label.
   */
  public List<String> setMatches() {
    if (type == Type.EQ || type == Type.NEQ) {
      return List.of(value);
    }
    return regex.setMatches();
  }

  /** A literal prefix every accepted value of the positive regex has ("" if none). */
  public String literalPrefix() {
    return regex == null ? "" : regex.prefix();
  }

  /** True when the positive form matches every string ({@code .*}). */
  public boolean isMatchAll() {
    return regex != null && regex.isMatchAll();
  }

  /** True when the positive form matches every non-empty string ({@code .+}). */
  public boolean isMatchNonEmpty() {
    return regex != null && regex.isMatchNonEmpty();
  }

  /** Prometheus's Matcher.String(): {@code name="value"} with the name quoted if not legacy. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    LabelStrings.appendName(sb, name);
    sb.append(type.symbol());
    GoStrings.appendQuoted(sb, value);
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }
}
