package dev.tsdb.rules.template;

/** A template parse or execution error, with Go text/template's message. */
public class TemplateException extends Exception {
  public TemplateException(String message) {
    super(message);
  }

  public TemplateException(String message, Throwable cause) {
    super(message, cause);
  }
}
