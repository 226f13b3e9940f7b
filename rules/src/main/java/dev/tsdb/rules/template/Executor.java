package dev.tsdb.rules.template;

import dev.tsdb.gocompat.GoStrings;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks a parsed template the way Go's text/template exec.go does: pipelines pass their value as
 * the last argument of the next command, variables are scoped by control structures, fields are
 * looked up on {@link GoStruct}s and {@link GoMap}s (missing map keys give the zero value), and
 * errors carry "template: NAME:LINE:COL: executing "NAME" at &lt;NODE&gt;: ..." context.
 */
final class Executor {
  static final Set<String> BUILTIN_NAMES = Set.of("and", "or", "not", "len", "index", "print",
      "printf", "println", "html", "js", "urlquery", "eq", "ne", "lt", "le", "gt", "ge", "slice",
      "call");

  private static final int MAX_DEPTH = 1000;

  /** The "no final argument" marker (Go's missingVal). */
  private static final Object MISSING = new Object() {
    @Override
    public String toString() {
      return "<missing>";
    }
  };

  private final Template tmpl;
  private final Map<String, TemplateFunc> funcs;
  private final StringBuilder out;
  private final List<String> varNames = new ArrayList<>();
  private final List<Object> varValues = new ArrayList<>();
  private Node node; // current node, for error context
  private int depth;

  Executor(Template tmpl, Map<String, TemplateFunc> funcs, StringBuilder out) {
    this.tmpl = tmpl;
    this.funcs = funcs;
    this.out = out;
  }

  private static final class ExecError extends RuntimeException {
    ExecError(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private static final class BreakSignal extends RuntimeException {
    BreakSignal() {
      super(null, null, false, false);
    }
  }

  private static final class ContinueSignal extends RuntimeException {
    ContinueSignal() {
      super(null, null, false, false);
    }
  }

  void run(Object data) throws TemplateException {
    push("$", data);
    try {
      walk(data, tmpl.root());
    } catch (ExecError e) {
      throw new TemplateException(e.getMessage(), e.getCause());
    } catch (StackOverflowError e) {
      throw new TemplateException("template: " + tmpl.name() + ": exceeded maximum template depth");
    }
  }

  private ExecError error(String msg) {
    return error(msg, null);
  }

  private ExecError error(String msg, Throwable cause) {
    if (node == null) {
      return new ExecError("template: " + tmpl.name() + ": " + msg, cause);
    }
    String context = node.toString();
    if (context.length() > 20) {
      context = context.substring(0, 20) + "...";
    }
    return new ExecError("template: " + tmpl.location(node) + ": executing "
        + GoStrings.quote(tmpl.name()) + " at <" + context + ">: " + msg, cause);
  }

  // ---- variables ----

  private void push(String name, Object value) {
    varNames.add(name);
    varValues.add(value);
  }

  private int mark() {
    return varNames.size();
  }

  private void pop(int mark) {
    while (varNames.size() > mark) {
      varNames.remove(varNames.size() - 1);
      varValues.remove(varValues.size() - 1);
    }
  }

  private void setTopVar(int n, Object value) {
    varValues.set(varValues.size() - n, value);
  }

  private void setVar(String name, Object value) {
    for (int i = varNames.size() - 1; i >= 0; i--) {
      if (varNames.get(i).equals(name)) {
        varValues.set(i, value);
        return;
      }
    }
    throw error("undefined variable: " + name);
  }

  private Object varValue(String name) {
    for (int i = varNames.size() - 1; i >= 0; i--) {
      if (varNames.get(i).equals(name)) {
        return varValues.get(i);
      }
    }
    throw error("undefined variable: " + name);
  }

  // ---- walking ----

  private void walk(Object dot, Node n) {
    node = n;
    if (n instanceof Node.Action a) {
      Object val = evalPipeline(dot, a.pipe());
      if (a.pipe().decl().isEmpty()) {
        printValue(a, val);
      }
    } else if (n instanceof Node.Text t) {
      out.append(t.text());
    } else if (n instanceof Node.ListNode l) {
      for (Node c : l.nodes()) {
        walk(dot, c);
      }
    } else if (n instanceof Node.Branch b) {
      if (b.kind() == Node.Branch.Kind.RANGE) {
        walkRange(dot, b);
      } else {
        walkIfOrWith(dot, b);
      }
    } else if (n instanceof Node.TemplateCall t) {
      walkTemplate(dot, t);
    } else if (n instanceof Node.Break) {
      throw new BreakSignal();
    } else if (n instanceof Node.Continue) {
      throw new ContinueSignal();
    } else {
      throw error("unknown node: " + n);
    }
  }

  private void walkIfOrWith(Object dot, Node.Branch b) {
    int mark = mark();
    try {
      Object val = evalPipeline(dot, b.pipe());
      if (truth(val)) {
        walk(b.kind() == Node.Branch.Kind.WITH ? val : dot, b.list());
      } else if (b.elseList() != null) {
        walk(dot, b.elseList());
      }
    } finally {
      pop(mark);
    }
  }

  private void walkRange(Object dot, Node.Branch r) {
    int outer = mark();
    try {
      Object val = evalPipeline(dot, r.pipe());
      int mark = mark();
      List<Object[]> iterations = new ArrayList<>(); // {index, elem}
      if (val instanceof GoSlice s) {
        for (int i = 0; i < s.elems().size(); i++) {
          iterations.add(new Object[] {(long) i, s.elems().get(i)});
        }
      } else if (val instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) {
          iterations.add(new Object[] {(long) i, l.get(i)});
        }
      } else if (val instanceof GoMap m) {
        for (Map.Entry<String, ?> e : m.entries().entrySet()) {
          iterations.add(new Object[] {e.getKey(), e.getValue()});
        }
      } else if (val instanceof Long || val instanceof Integer) {
        long n = ((Number) val).longValue();
        for (long i = 0; i < n; i++) {
          iterations.add(new Object[] {i, i});
        }
      } else if (val != null) {
        node = r;
        throw error("range can't iterate over " + GoFmt.sprintValue(val));
      }
      if (iterations.isEmpty()) {
        if (r.elseList() != null) {
          walk(dot, r.elseList());
        }
        return;
      }
      List<Node.Variable> decl = r.pipe().decl();
      for (Object[] it : iterations) {
        Object index = it[0];
        Object elem = it[1];
        if (!decl.isEmpty()) {
          if (r.pipe().isAssign()) {
            setVar(decl.get(0).ident().get(0), decl.size() > 1 ? index : elem);
          } else {
            setTopVar(1, elem);
          }
        }
        if (decl.size() > 1) {
          if (r.pipe().isAssign()) {
            setVar(decl.get(1).ident().get(0), elem);
          } else {
            setTopVar(2, index);
          }
        }
        try {
          walk(elem, r.list());
        } catch (ContinueSignal c) {
          // next iteration
        } catch (BreakSignal b) {
          break;
        } finally {
          pop(mark);
        }
      }
    } finally {
      pop(outer);
    }
  }

  private void walkTemplate(Object dot, Node.TemplateCall t) {
    Node.ListNode body = tmpl.lookup(t.name());
    if (body == null) {
      throw error("template " + GoStrings.quote(t.name()) + " not defined");
    }
    if (depth >= MAX_DEPTH) {
      throw error("exceeded maximum template depth (" + MAX_DEPTH + ")");
    }
    Object newDot = t.pipe() == null ? null : evalPipeline(dot, t.pipe());
    List<String> savedNames = new ArrayList<>(varNames);
    List<Object> savedValues = new ArrayList<>(varValues);
    varNames.clear();
    varValues.clear();
    push("$", newDot);
    depth++;
    try {
      walk(newDot, body);
    } finally {
      depth--;
      varNames.clear();
      varValues.clear();
      varNames.addAll(savedNames);
      varValues.addAll(savedValues);
    }
  }

  private void printValue(Node n, Object v) {
    node = n;
    if (v == null) {
      out.append("<no value>");
      return;
    }
    out.append(GoFmt.sprintValue(v));
  }

  // ---- evaluation ----

  private Object evalPipeline(Object dot, Node.Pipe pipe) {
    if (pipe == null) {
      return null;
    }
    node = pipe;
    Object value = MISSING;
    for (Node.Command cmd : pipe.cmds()) {
      value = evalCommand(dot, cmd, value);
    }
    for (Node.Variable v : pipe.decl()) {
      if (pipe.isAssign()) {
        setVar(v.ident().get(0), value);
      } else {
        push(v.ident().get(0), value);
      }
    }
    return value;
  }

  private void notAFunction(List<Node> args, Object fin) {
    if (args.size() > 1 || fin != MISSING) {
      throw error("can't give argument to non-function " + args.get(0));
    }
  }

  private Object evalCommand(Object dot, Node.Command cmd, Object fin) {
    Node first = cmd.args().get(0);
    if (first instanceof Node.Field f) {
      return evalFieldChain(dot, dot, f, f.ident(), cmd.args(), fin);
    } else if (first instanceof Node.Chain c) {
      return evalChain(dot, c, cmd.args(), fin);
    } else if (first instanceof Node.Identifier id) {
      return evalFunction(dot, id, cmd, cmd.args(), fin);
    } else if (first instanceof Node.Pipe p) {
      notAFunction(cmd.args(), fin);
      return evalPipeline(dot, p);
    } else if (first instanceof Node.Variable v) {
      return evalVariable(dot, v, cmd.args(), fin);
    }
    node = first;
    notAFunction(cmd.args(), fin);
    if (first instanceof Node.Bool b) {
      return b.value();
    } else if (first instanceof Node.Dot) {
      return dot;
    } else if (first instanceof Node.Nil) {
      throw error("nil is not a command");
    } else if (first instanceof Node.Number num) {
      return idealConstant(num);
    } else if (first instanceof Node.StringLit s) {
      return s.text();
    }
    throw error("can't evaluate command " + GoStrings.quote(first.toString()));
  }

  private Object idealConstant(Node.Number n) {
    node = n;
    if (n.isFloat() && n.floatSyntax()) {
      return n.floatValue();
    }
    if (n.isInt()) {
      return n.intValue();
    }
    throw error(n.text() + " overflows int");
  }

  private Object evalVariable(Object dot, Node.Variable v, List<Node> args, Object fin) {
    node = v;
    Object value = varValue(v.ident().get(0));
    if (v.ident().size() == 1) {
      notAFunction(args, fin);
      return value;
    }
    return evalFieldChain(dot, value, v, v.ident().subList(1, v.ident().size()), args, fin);
  }

  private Object evalChain(Object dot, Node.Chain c, List<Node> args, Object fin) {
    if (c.field().isEmpty()) {
      throw error("internal error: no fields in evalChainNode");
    }
    if (c.node() instanceof Node.Nil) {
      throw error("indirection through explicit nil in " + c);
    }
    Object pipe = evalArg(dot, ParamType.ANY, c.node());
    return evalFieldChain(dot, pipe, c, c.field(), args, fin);
  }

  private Object evalFieldChain(Object dot, Object receiver, Node n, List<String> idents,
      List<Node> args, Object fin) {
    int last = idents.size() - 1;
    for (int i = 0; i < last; i++) {
      receiver = evalField(dot, idents.get(i), n, List.of(), MISSING, receiver);
    }
    return evalField(dot, idents.get(last), n, args, fin, receiver);
  }

  private Object evalField(Object dot, String fieldName, Node n, List<Node> args, Object fin,
      Object receiver) {
    node = n;
    if (receiver == null) {
      return null; // missingkey=zero on nil data: the zero Value, printed as <no value>
    }
    boolean hasArgs = args.size() > 1 || fin != MISSING;
    if (receiver instanceof GoStruct s) {
      if (s.hasMethod(fieldName)) {
        List<Object> argv = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
          argv.add(evalArg(dot, ParamType.ANY, args.get(i)));
        }
        if (fin != MISSING) {
          argv.add(fin);
        }
        try {
          return s.call(fieldName, argv);
        } catch (ExecError e) {
          throw e;
        } catch (Exception e) {
          node = n;
          throw error("error calling " + fieldName + ": " + e.getMessage(), e);
        }
      }
      if (s.hasField(fieldName)) {
        if (hasArgs) {
          throw error(fieldName + " has arguments but cannot be invoked as function");
        }
        return s.field(fieldName);
      }
    } else if (receiver instanceof GoMap m) {
      if (hasArgs) {
        throw error(fieldName + " is not a method but has arguments");
      }
      return m.get(fieldName);
    }
    throw error("can't evaluate field " + fieldName + " in type " + GoFmt.typeName(receiver));
  }

  private Object evalFunction(Object dot, Node.Identifier id, Node cmd, List<Node> args,
      Object fin) {
    node = id;
    String name = id.ident();
    List<Node> argNodes = args.size() > 1 ? args.subList(1, args.size()) : List.of();
    if (name.equals("and") || name.equals("or")) {
      return evalAndOr(dot, name.equals("or"), cmd, argNodes, fin);
    }
    TemplateFunc f = BUILTINS.get(name);
    if (f == null) {
      f = funcs.get(name);
    }
    if (f == null) {
      throw error(GoStrings.quote(name) + " is not a defined function");
    }
    int numIn = argNodes.size() + (fin != MISSING ? 1 : 0);
    int fixed = f.params().size();
    if (f.variadic() != null) {
      if (numIn < fixed) {
        throw error("wrong number of args for " + name + ": want at least " + fixed + " got "
            + numIn);
      }
    } else if (numIn != fixed) {
      throw error("wrong number of args for " + name + ": want " + fixed + " got " + numIn);
    }
    List<Object> argv = new ArrayList<>(numIn);
    for (int i = 0; i < argNodes.size(); i++) {
      ParamType t = i < fixed ? f.params().get(i) : f.variadic();
      argv.add(evalArg(dot, t, argNodes.get(i)));
    }
    if (fin != MISSING) {
      ParamType t = argv.size() < fixed ? f.params().get(argv.size()) : f.variadic();
      argv.add(validateType(fin, t));
    }
    try {
      return f.impl().call(argv);
    } catch (ExecError e) {
      throw e;
    } catch (Exception e) {
      node = cmd;
      throw error("error calling " + name + ": " + e.getMessage(), e);
    }
  }

  private Object evalAndOr(Object dot, boolean or, Node cmd, List<Node> argNodes, Object fin) {
    int numIn = argNodes.size() + (fin != MISSING ? 1 : 0);
    if (numIn < 1) {
      throw error("wrong number of args for " + (or ? "or" : "and") + ": want at least 1 got 0");
    }
    Object v = null;
    for (Node a : argNodes) {
      v = evalArg(dot, ParamType.ANY, a);
      if (truth(v) == or) {
        return v;
      }
    }
    if (fin != MISSING) {
      v = fin;
    }
    return v;
  }

  private Object validateType(Object value, ParamType t) {
    if (value == null) {
      if (t.nilable()) {
        return null;
      }
      throw error("invalid value; expected " + t.goName());
    }
    if (!t.accepts().test(value)) {
      throw error("wrong type for value; expected " + t.goName() + "; got "
          + GoFmt.typeName(value));
    }
    return value;
  }

  private Object evalArg(Object dot, ParamType t, Node n) {
    node = n;
    if (n instanceof Node.Dot) {
      return validateType(dot, t);
    } else if (n instanceof Node.Nil) {
      if (t.nilable()) {
        return null;
      }
      throw error("cannot assign nil to " + t.goName());
    } else if (n instanceof Node.Field f) {
      return validateType(evalFieldChain(dot, dot, f, f.ident(), List.of(n), MISSING), t);
    } else if (n instanceof Node.Variable v) {
      return validateType(evalVariable(dot, v, List.of(), MISSING), t);
    } else if (n instanceof Node.Pipe p) {
      return validateType(evalPipeline(dot, p), t);
    } else if (n instanceof Node.Identifier id) {
      return validateType(evalFunction(dot, id, id, List.of(id), MISSING), t);
    } else if (n instanceof Node.Chain c) {
      return validateType(evalChain(dot, c, List.of(), MISSING), t);
    }
    if (t == ParamType.ANY) {
      if (n instanceof Node.Bool b) {
        return b.value();
      } else if (n instanceof Node.Number num) {
        return idealConstant(num);
      } else if (n instanceof Node.StringLit s) {
        return s.text();
      }
    } else if (t == ParamType.STRING) {
      if (n instanceof Node.StringLit s) {
        return s.text();
      }
      throw error("expected string; found " + n);
    } else if (t == ParamType.FLOAT) {
      if (n instanceof Node.Number num && num.isFloat()) {
        return num.floatValue();
      }
      throw error("expected float; found " + n);
    } else if (t == ParamType.INT) {
      if (n instanceof Node.Number num && num.isInt()) {
        return num.intValue();
      }
      throw error("expected integer; found " + n);
    } else if (t == ParamType.BOOL) {
      if (n instanceof Node.Bool b) {
        return b.value();
      }
      throw error("expected bool; found " + n);
    }
    throw error("can't handle " + n + " for arg of type " + t.goName());
  }

  // ---- truth and builtins ----

  static boolean truth(Object v) {
    if (v == null) {
      return false;
    } else if (v instanceof Boolean b) {
      return b;
    } else if (v instanceof Double d) {
      return d != 0;
    } else if (v instanceof BigInteger b) {
      return b.signum() != 0;
    } else if (v instanceof Number n) {
      return n.longValue() != 0;
    } else if (v instanceof String s) {
      return !s.isEmpty();
    } else if (v instanceof GoMap m) {
      return !m.entries().isEmpty();
    } else if (v instanceof GoSlice s) {
      return !s.elems().isEmpty();
    } else if (v instanceof List<?> l) {
      return !l.isEmpty();
    }
    return true;
  }

  private enum Kind {
    BOOL, INT, UINT, FLOAT, STRING, OTHER
  }

  private static Kind kind(Object v) {
    if (v instanceof Boolean) {
      return Kind.BOOL;
    } else if (v instanceof Long || v instanceof Integer) {
      return Kind.INT;
    } else if (v instanceof BigInteger) {
      return Kind.UINT;
    } else if (v instanceof Double) {
      return Kind.FLOAT;
    } else if (v instanceof String) {
      return Kind.STRING;
    }
    return Kind.OTHER;
  }

  private static BigInteger big(Object v) {
    return v instanceof BigInteger b ? b : BigInteger.valueOf(((Number) v).longValue());
  }

  private static boolean isIntegral(Kind k) {
    return k == Kind.INT || k == Kind.UINT;
  }

  static boolean eq(Object a, List<Object> others) throws Exception {
    if (others.isEmpty()) {
      throw new Exception("missing argument for comparison");
    }
    Kind k1 = kind(a);
    for (Object b : others) {
      Kind k2 = kind(b);
      boolean truth;
      if (k1 != k2) {
        if (isIntegral(k1) && isIntegral(k2)) {
          truth = big(a).equals(big(b));
        } else if (a != null && b != null) {
          throw new Exception("incompatible types for comparison");
        } else {
          truth = false;
        }
      } else {
        switch (k1) {
          case INT, UINT -> truth = big(a).equals(big(b));
          case FLOAT -> truth = (Double) a == (double) (Double) b;
          case BOOL, STRING -> truth = a.equals(b);
          default -> {
            if (a instanceof GoMap || a instanceof GoSlice || a instanceof List) {
              throw new Exception("non-comparable type " + GoFmt.sprintValue(a) + ": "
                  + GoFmt.typeName(a));
            }
            truth = a == null ? b == null : a.equals(b);
          }
        }
      }
      if (truth) {
        return true;
      }
    }
    return false;
  }

  static boolean lt(Object a, Object b) throws Exception {
    Kind k1 = kind(a);
    Kind k2 = kind(b);
    if (k1 == Kind.OTHER || k2 == Kind.OTHER) {
      throw new Exception("invalid type for comparison");
    }
    if (k1 != k2) {
      if (isIntegral(k1) && isIntegral(k2)) {
        return big(a).compareTo(big(b)) < 0;
      }
      throw new Exception("incompatible types for comparison");
    }
    return switch (k1) {
      case BOOL -> throw new Exception("invalid type for comparison");
      case FLOAT -> (Double) a < (Double) b;
      case INT, UINT -> big(a).compareTo(big(b)) < 0;
      case STRING -> ((String) a).compareTo((String) b) < 0;
      default -> throw new Exception("invalid type for comparison");
    };
  }

  private static String evalArgsString(List<Object> args) {
    if (args.size() == 1 && args.get(0) instanceof String s) {
      return s;
    }
    return GoFmt.sprint(args);
  }

  /** Go's html.EscapeString as text/template's html builtin uses it. */
  static String htmlEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("&#34;");
        case '\'' -> sb.append("&#39;");
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case 0 -> sb.append('\uFFFD');
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  static String jsEscape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '"' -> sb.append("\\\"");
        case '<' -> sb.append("\\u003C");
        case '>' -> sb.append("\\u003E");
        case '&' -> sb.append("\\u0026");
        case '=' -> sb.append("\\u003D");
        default -> {
          if (c < ' ') {
            sb.append(String.format("\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }

  /** Go's url.QueryEscape. */
  static String queryEscape(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A");
  }

  private static long len(Object v) throws Exception {
    if (v instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8).length;
    } else if (v instanceof GoMap m) {
      return m.entries().size();
    } else if (v instanceof GoSlice s) {
      return s.elems().size();
    } else if (v instanceof List<?> l) {
      return l.size();
    }
    throw new Exception("len of type " + GoFmt.typeName(v));
  }

  private static Object index(Object item, List<Object> indexes) throws Exception {
    Object v = item;
    for (Object ix : indexes) {
      if (v == null) {
        throw new Exception("index of untyped nil");
      }
      if (v instanceof GoMap m) {
        if (!(ix instanceof String key)) {
          throw new Exception("value has type " + GoFmt.typeName(ix) + "; should be string");
        }
        v = m.get(key);
      } else if (v instanceof GoSlice || v instanceof List || v instanceof String) {
        if (!(ix instanceof Long || ix instanceof Integer)) {
          throw new Exception("cannot index slice/array with type " + GoFmt.typeName(ix));
        }
        long i = ((Number) ix).longValue();
        List<?> l = v instanceof GoSlice s ? s.elems() : v instanceof List<?> ll ? ll : null;
        long size = l != null ? l.size() : ((String) v).getBytes(StandardCharsets.UTF_8).length;
        if (i < 0 || i >= size) {
          throw new Exception("index out of range: " + i);
        }
        v = l != null ? l.get((int) i)
            : (long) (((String) v).getBytes(StandardCharsets.UTF_8)[(int) i] & 0xff);
      } else {
        throw new Exception("can't index item of type " + GoFmt.typeName(v));
      }
    }
    return v;
  }

  private static Object slice(Object item, List<Object> idx) throws Exception {
    List<?> l;
    String str = null;
    if (item instanceof String s) {
      str = s;
      l = null;
    } else if (item instanceof GoSlice s) {
      l = s.elems();
    } else if (item instanceof List<?> ll) {
      l = ll;
    } else {
      throw new Exception("can't slice item of type " + GoFmt.typeName(item));
    }
    int size = str != null ? str.length() : l.size();
    if (idx.size() > 3 || (str != null && idx.size() > 2)) {
      throw new Exception("too many slice indexes: " + idx.size());
    }
    int[] ix = {0, size};
    for (int i = 0; i < idx.size() && i < 2; i++) {
      if (!(idx.get(i) instanceof Long || idx.get(i) instanceof Integer)) {
        throw new Exception("cannot index slice/array with type " + GoFmt.typeName(idx.get(i)));
      }
      ix[i] = ((Number) idx.get(i)).intValue();
    }
    if (ix[0] < 0 || ix[1] > size || ix[0] > ix[1]) {
      throw new Exception("index out of range: " + ix[0] + ":" + ix[1]);
    }
    if (str != null) {
      return str.substring(ix[0], ix[1]);
    }
    return new GoSlice(l.subList(ix[0], ix[1]), item instanceof GoSlice s ? s.typeName()
        : "[]interface {}");
  }

  static final Map<String, TemplateFunc> BUILTINS = Map.ofEntries(
      Map.entry("not", TemplateFunc.of(a -> !truth(a.get(0)), ParamType.ANY)),
      Map.entry("len", TemplateFunc.of(a -> len(a.get(0)), ParamType.ANY)),
      Map.entry("index", TemplateFunc.variadic(a -> index(a.get(0), a.subList(1, a.size())),
          ParamType.ANY, ParamType.ANY)),
      Map.entry("slice", TemplateFunc.variadic(a -> slice(a.get(0), a.subList(1, a.size())),
          ParamType.ANY, ParamType.ANY)),
      Map.entry("print", TemplateFunc.variadic(GoFmt::sprint, ParamType.ANY)),
      Map.entry("println", TemplateFunc.variadic(GoFmt::sprintln, ParamType.ANY)),
      Map.entry("printf", TemplateFunc.variadic(
          a -> GoFmt.sprintf((String) a.get(0), a.subList(1, a.size())), ParamType.ANY,
          ParamType.STRING)),
      Map.entry("html", TemplateFunc.variadic(a -> htmlEscape(evalArgsString(a)), ParamType.ANY)),
      Map.entry("js", TemplateFunc.variadic(a -> jsEscape(evalArgsString(a)), ParamType.ANY)),
      Map.entry("urlquery",
          TemplateFunc.variadic(a -> queryEscape(evalArgsString(a)), ParamType.ANY)),
      Map.entry("eq", TemplateFunc.variadic(a -> eq(a.get(0), a.subList(1, a.size())),
          ParamType.ANY, ParamType.ANY)),
      Map.entry("ne", TemplateFunc.of(a -> !eq(a.get(0), a.subList(1, 2)), ParamType.ANY,
          ParamType.ANY)),
      Map.entry("lt", TemplateFunc.of(a -> lt(a.get(0), a.get(1)), ParamType.ANY, ParamType.ANY)),
      Map.entry("le", TemplateFunc.of(
          a -> lt(a.get(0), a.get(1)) || eq(a.get(0), a.subList(1, 2)), ParamType.ANY,
          ParamType.ANY)),
      Map.entry("gt", TemplateFunc.of(
          a -> !(lt(a.get(0), a.get(1)) || eq(a.get(0), a.subList(1, 2))), ParamType.ANY,
          ParamType.ANY)),
      Map.entry("ge", TemplateFunc.of(a -> !lt(a.get(0), a.get(1)), ParamType.ANY,
          ParamType.ANY)),
      Map.entry("call", TemplateFunc.variadic(a -> {
        throw new Exception("call of non-function");
      }, ParamType.ANY, ParamType.ANY)));
}
