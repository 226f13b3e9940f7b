package dev.tsdb.server.flags;

import java.util.function.Function;

/**
 * One command-line flag: its Prometheus name, default (as text), help, and a parser that turns the
 * text into a value or throws IllegalArgumentException with the reason. Boolean flags take no
 * value ({@code --name} / {@code --no-name}, or {@code --name=true|false}); repeatable flags
 * collect every occurrence.
 */
public record Flag<T>(String name, String defaultValue, String help, Function<String, T> parser,
    boolean isBoolean, boolean repeatable, String placeholder) {

  public static <T> Flag<T> of(String name, String dflt, String help, Function<String, T> parser) {
    return new Flag<>(name, dflt, help, parser, false, false, "<value>");
  }

  public static Flag<Boolean> bool(String name, String help) {
    return new Flag<>(name, "false", help, Flag::parseBool, true, false, "");
  }

  public static Flag<String> repeatable(String name, String help) {
    return new Flag<>(name, "", help, s -> s, false, true, "<value>");
  }

  /** The same flag with another default (e.g. a boolean that is on unless --no-name). */
  public Flag<T> withDefault(String d) {
    return new Flag<>(name, d, help, parser, isBoolean, repeatable, placeholder);
  }

  public Flag<T> withPlaceholder(String p) {
    return new Flag<>(name, defaultValue, help, parser, isBoolean, repeatable, p);
  }

  static boolean parseBool(String s) {
    switch (s.toLowerCase()) {
      case "true", "1", "yes" -> {
        return true;
      }
      case "false", "0", "no" -> {
        return false;
      }
      default -> throw new IllegalArgumentException("strconv.ParseBool: parsing \"" + s
          + "\": invalid syntax");
    }
  }
}
