package dev.tsdb.rules.template;

/**
 * Prometheus's template.Expander in text mode: parse with Prometheus's function map, execute with
 * {@code missingkey=zero}, and wrap errors as "error parsing template NAME: ..." / "error
 * executing template NAME: ...". Alert rules use {@link #parseAlert} at load time and
 * {@link #expandAlert} at evaluation time.
 */
public final class TemplateExpander {
  private TemplateExpander() {}

  /** The variables Prometheus defines in front of every alert label/annotation template. */
  public static final String ALERT_DEFS = "{{$labels := .Labels}}"
      + "{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}"
      + "{{$value := .Value}}";

  public static Template parse(String name, String text) throws TemplateException {
    try {
      return Template.parse(name, text, PromTemplateFuncs.NAMES);
    } catch (TemplateException e) {
      throw new TemplateException("error parsing template " + name + ": " + e.getMessage(), e);
    }
  }

  public static String execute(Template t, Object data, QueryFunction query, long timestampMs,
      String externalUrl) throws TemplateException {
    try {
      return t.execute(data, PromTemplateFuncs.bind(query, timestampMs, externalUrl));
    } catch (TemplateException e) {
      throw new TemplateException("error executing template " + t.name() + ": " + e.getMessage(),
          e.getCause());
    }
  }

  /** Parses and executes in one go (Prometheus's NewTemplateExpander(...).Expand()). */
  public static String expand(String name, String text, Object data, QueryFunction query,
      long timestampMs, String externalUrl) throws TemplateException {
    return execute(parse(name, text), data, query, timestampMs, externalUrl);
  }

  /**
   * Parses an alert label or annotation template as Prometheus does (name
   * {@code __alert_ALERTNAME}, with {@link #ALERT_DEFS} in front).
   *
   * @throws TemplateException with Go's parse error, e.g.
   *     {@code template: __alert_X:1: function "foo" not defined}
   */
  public static Template parseAlert(String alertName, String text) throws TemplateException {
    return Template.parse("__alert_" + alertName, ALERT_DEFS + text, PromTemplateFuncs.NAMES);
  }

  /**
   * Expands a parsed alert template; on failure returns what Prometheus puts in the label or
   * annotation: {@code <error expanding template: ...>}.
   */
  public static String expandAlert(Template t, AlertTemplateData data, QueryFunction query,
      long timestampMs, String externalUrl) {
    return expandAlert(t, data, PromTemplateFuncs.bind(query, timestampMs, externalUrl));
  }

  /** As above with functions already bound (once per evaluation, shared by all templates). */
  public static String expandAlert(Template t, AlertTemplateData data,
      java.util.Map<String, TemplateFunc> funcs) {
    try {
      return t.execute(data, funcs);
    } catch (TemplateException e) {
      return "<error expanding template: error executing template " + t.name() + ": "
          + e.getMessage() + ">";
    }
  }
}
