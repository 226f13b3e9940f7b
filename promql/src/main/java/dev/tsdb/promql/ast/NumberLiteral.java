package dev.tsdb.promql.ast;

/**
 * A float literal (decimal, hex, exponent, Inf, NaN, or a duration used as seconds).
 * {@code duration} is true when it was written as a duration ({@code 5m}); it only affects
 * formatting, which then prints it back as a duration like Prometheus does.
 */
public record NumberLiteral(double value, PosRange pos, boolean duration) implements Expr {
  public NumberLiteral(double value, PosRange pos) {
    this(value, pos, false);
  }

  @Override
  public ExprType type() {
    return ExprType.SCALAR;
  }

  @Override
  public <R> R accept(ExprVisitor<R> v) {
    return v.visitNumber(this);
  }

  /** Prometheus's canonical formatting of this expression. */
  @Override
  public String toString() {
    return Printer.format(this);
  }
}
