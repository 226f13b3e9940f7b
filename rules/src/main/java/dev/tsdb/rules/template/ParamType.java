package dev.tsdb.rules.template;

import java.util.function.Predicate;

/**
 * The Go type of a function parameter, as far as templates can tell: it decides how literal
 * arguments are converted (an untyped {@code 1} becomes a float64 for a float64 parameter) and
 * which computed values are accepted ("wrong type for value; expected string; got float64").
 *
 * @param goName the Go type name used in messages
 * @param accepts which runtime values are assignable
 * @param nilable whether nil (null) is an acceptable value
 */
public record ParamType(String goName, Predicate<Object> accepts, boolean nilable) {
  public static final ParamType ANY = new ParamType("interface {}", v -> true, true);
  public static final ParamType STRING = new ParamType("string", v -> v instanceof String, false);
  public static final ParamType FLOAT = new ParamType("float64", v -> v instanceof Double, false);
  public static final ParamType INT =
      new ParamType("int", v -> v instanceof Long || v instanceof Integer, false);
  public static final ParamType BOOL = new ParamType("bool", v -> v instanceof Boolean, false);

  /** A pointer or struct type matched by Java class. */
  public static ParamType of(String goName, Class<?> cls) {
    return new ParamType(goName, cls::isInstance, true);
  }
}
