package dev.tsdb.rules.template;

import java.util.List;

/**
 * A value with Go struct fields and/or methods reachable from templates ({@code .Labels},
 * {@code .Format "2006"}). Fields are looked up after methods, as Go does.
 */
public interface GoStruct {
  /** The Go type name used in error messages, e.g. {@code *template.sample}. */
  String goType();

  /** True when {@link #field} can answer {@code name}. */
  default boolean hasField(String name) {
    return false;
  }

  default Object field(String name) {
    throw new IllegalArgumentException(name);
  }

  /** True when {@link #call} can answer {@code name}. */
  default boolean hasMethod(String name) {
    return false;
  }

  /** Calls a method; exceptions become "error calling NAME: message". */
  default Object call(String name, List<Object> args) throws Exception {
    throw new IllegalArgumentException(name);
  }
}
