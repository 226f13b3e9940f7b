package dev.tsdb.promql.ast;

/** Binary operators with Prometheus's precedence (higher binds tighter). */
public enum BinaryOp {
  LOR("or", 1), LAND("and", 2), LUNLESS("unless", 2),
  EQLC("==", 3), NEQ("!=", 3), LTE("<=", 3), LSS("<", 3), GTE(">=", 3), GTR(">", 3),
  // Native histogram trimming: keep the observations below / above a float. They bind like
  // comparisons but are not comparisons (no bool, no filtering).
  TRIM_UPPER("</", 3), TRIM_LOWER(">/", 3),
  ADD("+", 4), SUB("-", 4),
  MUL("*", 5), DIV("/", 5), MOD("%", 5), ATAN2("atan2", 5),
  POW("^", 6);

  private final String symbol;
  private final int precedence;

  BinaryOp(String symbol, int precedence) {
    this.symbol = symbol;
    this.precedence = precedence;
  }

  public String symbol() {
    return symbol;
  }

  public int precedence() {
    return precedence;
  }

  public boolean isComparison() {
    return switch (this) {
      case EQLC, NEQ, LTE, LSS, GTE, GTR -> true;
      default -> false;
    };
  }

  public boolean isSetOperator() {
    return this == LAND || this == LOR || this == LUNLESS;
  }

  /** Only {@code ^} is right-associative. */
  public boolean isRightAssociative() {
    return this == POW;
  }
}
