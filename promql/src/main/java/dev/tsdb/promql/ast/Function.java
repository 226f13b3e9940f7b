package dev.tsdb.promql.ast;

import java.util.List;

/**
 * A PromQL function's signature. {@code variadic} is 0 for fixed arity, -1 for any number of
 * trailing arguments of the last type, or N for up to N optional trailing arguments.
 */
public record Function(String name, List<ExprType> argTypes, int variadic, ExprType returnType,
    boolean experimental) {
  public Function {
    argTypes = List.copyOf(argTypes);
  }
}
