package dev.tsdb.promql.value;

/** A query result: scalar, string, instant vector or range vector (matrix). */
public sealed interface Value permits Scalar, StringValue, Vector, Matrix {
  /** "scalar", "string", "vector" or "matrix", as the API's resultType. */
  String resultType();
}
