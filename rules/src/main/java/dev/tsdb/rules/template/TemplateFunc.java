package dev.tsdb.rules.template;

import java.util.List;

/**
 * A function callable from templates. Arguments arrive converted per {@link #params} (and
 * {@link #variadic} for the rest); an exception thrown by {@link #impl} becomes Go's
 * "error calling NAME: MESSAGE".
 *
 * @param params fixed parameter types
 * @param variadic the type of extra arguments, or null when the function takes exactly params
 * @param impl the body
 */
public record TemplateFunc(List<ParamType> params, ParamType variadic, Impl impl) {
  /** The function body. */
  @FunctionalInterface
  public interface Impl {
    Object call(List<Object> args) throws Exception;
  }

  public static TemplateFunc of(Impl impl, ParamType... params) {
    return new TemplateFunc(List.of(params), null, impl);
  }

  public static TemplateFunc variadic(Impl impl, ParamType variadic, ParamType... params) {
    return new TemplateFunc(List.of(params), variadic, impl);
  }
}
