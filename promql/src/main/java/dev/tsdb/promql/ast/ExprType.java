package dev.tsdb.promql.ast;

/** The PromQL value type an expression evaluates to, named as Prometheus names them. */
public enum ExprType {
  NONE("none"), SCALAR("scalar"), VECTOR("vector"), MATRIX("matrix"), STRING("string");

  private final String promName;

  ExprType(String promName) {
    this.promName = promName;
  }

  /** "instant vector" style names used in Prometheus's type-check errors. */
  public String documentedName() {
    return switch (this) {
      case VECTOR -> "instant vector";
      case MATRIX -> "range vector";
      default -> promName;
    };
  }

  @Override
  public String toString() {
    return promName;
  }
}
