package dev.tsdb.rules.template;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed Go text/template. Parse once (syntax errors, unknown functions and undefined variables
 * surface here, as {@code template.Parse} reports them), execute many times with different data
 * and function bindings. Execution follows text/template with {@code missingkey=zero}, which is
 * how Prometheus expands alert labels and annotations.
 */
public final class Template {
  private final String name;
  private final String text;
  private final Node.ListNode root;
  private final Map<String, Node.ListNode> defined;

  private Template(String name, String text, Node.ListNode root,
      Map<String, Node.ListNode> defined) {
    this.name = name;
    this.text = text;
    this.root = root;
    this.defined = defined;
  }

  /**
   * Parses a template.
   *
   * @param name the template name used in error messages ("template: NAME:1: ...")
   * @param funcNames names of the non-builtin functions the template may call
   * @throws TemplateException with Go's message, e.g. {@code template: x:1: unclosed action}
   */
  public static Template parse(String name, String text, Set<String> funcNames)
      throws TemplateException {
    Set<String> all = new HashSet<>(funcNames);
    all.addAll(Executor.BUILTIN_NAMES);
    Map<String, Node.ListNode> defined = Parser.newDefinitions();
    Node.ListNode root = Parser.parse(name, text, all, defined);
    return new Template(name, text, root, defined);
  }

  public String name() {
    return name;
  }

  public String text() {
    return text;
  }

  /**
   * Executes with {@code data} as dot and {@code funcs} bound by name (builtins are always
   * available and cannot be overridden).
   *
   * @throws TemplateException with Go's message, e.g. {@code template: x:1:3: executing "x" at
   *     <humanize "one">: error calling humanize: ...}
   */
  public String execute(Object data, Map<String, TemplateFunc> funcs) throws TemplateException {
    StringBuilder out = new StringBuilder();
    new Executor(this, funcs, out).run(data);
    return out.toString();
  }

  Node.ListNode root() {
    return root;
  }

  Node.ListNode lookup(String templateName) {
    return defined.get(templateName);
  }

  /** "NAME:LINE:COL" of a node, columns 0-based like Go's ErrorContext. */
  String location(Node n) {
    int pos = Math.min(Math.max(n.pos(), 0), text.length());
    int line = 1;
    int lastNewline = -1;
    for (int i = 0; i < pos; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lastNewline = i;
      }
    }
    return name + ":" + line + ":" + (pos - lastNewline - 1);
  }

  static List<Object> list(Object... values) {
    List<Object> l = new ArrayList<>(values.length);
    for (Object v : values) {
      l.add(v);
    }
    return l;
  }
}
