package dev.tsdb.rules.template;

import dev.tsdb.gocompat.GoNumError;
import dev.tsdb.gocompat.GoNumbers;
import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.rules.template.Lexer.Item;
import dev.tsdb.rules.template.Lexer.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser producing the same trees (and, for common mistakes, the same error
 * messages) as Go's text/template/parse: undefined functions and variables are parse errors,
 * {@code {{else if}}}/{@code {{else with}}} chains nest, variables are scoped to the enclosing
 * control structure, and {@code define}/{@code block} add named templates.
 */
final class Parser {
  private final String name;
  private final List<Item> items;
  private final Set<String> funcs;
  private final Map<String, Node.ListNode> defined;
  private int i;
  private Item last; // the most recently consumed token, for error lines
  private final List<String> vars = new ArrayList<>();
  private int rangeDepth;

  private Parser(String name, String text, Set<String> funcs, Map<String, Node.ListNode> defined) {
    this.name = name;
    this.items = Lexer.lex(text);
    this.funcs = funcs;
    this.defined = defined;
    vars.add("$");
  }

  /** Parses {@code text}; returns the root list and fills {@code defined} with named templates. */
  static Node.ListNode parse(String name, String text, Set<String> funcs,
      Map<String, Node.ListNode> defined) throws TemplateException {
    Parser p = new Parser(name, text, funcs, defined);
    try {
      return p.parseRoot();
    } catch (ParseError e) {
      throw new TemplateException(e.getMessage());
    }
  }

  /** Unchecked carrier so deep recursion can bail out; converted at the entry point. */
  private static final class ParseError extends RuntimeException {
    ParseError(String message) {
      super(message, null, false, false);
    }
  }

  private ParseError error(String msg) {
    int line = last != null ? last.line() : 1;
    return new ParseError("template: " + name + ":" + line + ": " + msg);
  }

  private Item next() {
    last = items.get(Math.min(i, items.size() - 1));
    i++;
    return last;
  }

  private void backup() {
    i--;
  }

  private Item peek() {
    return items.get(Math.min(i, items.size() - 1));
  }

  private Item nextNonSpace() {
    Item t;
    do {
      t = next();
    } while (t.type() == Type.SPACE);
    return t;
  }

  private Item peekNonSpace() {
    Item t = nextNonSpace();
    backup();
    return t;
  }

  private Item expect(Type type, String context) {
    Item t = nextNonSpace();
    if (t.type() != type) {
      throw unexpected(t, context);
    }
    return t;
  }

  private ParseError unexpected(Item t, String context) {
    if (t.type() == Type.ERROR) {
      return error(t.val());
    }
    return error("unexpected " + t + " in " + context);
  }

  /** Marker nodes returned by textOrAction for {{end}} and {{else}}. */
  private record End(int pos) implements Marker {}

  private record Else(int pos) implements Marker {}

  private interface Marker {
    int pos();
  }

  private Node.ListNode parseRoot() {
    List<Node> nodes = new ArrayList<>();
    int pos = peek().pos();
    while (peek().type() != Type.EOF) {
      if (peek().type() == Type.LEFT_DELIM) {
        int save = i;
        next();
        if (nextNonSpace().type() == Type.DEFINE) {
          parseDefinition();
          continue;
        }
        i = save;
      }
      Object n = textOrAction();
      if (n instanceof End) {
        throw error("unexpected {{end}}");
      } else if (n instanceof Else) {
        throw error("unexpected {{else}}");
      } else if (n != null) {
        nodes.add((Node) n);
      }
    }
    return new Node.ListNode(pos, nodes);
  }

  private void parseDefinition() {
    String context = "define clause";
    Item nameItem = nextNonSpace();
    if (nameItem.type() != Type.STRING && nameItem.type() != Type.RAW_STRING) {
      throw unexpected(nameItem, context);
    }
    String defName = unquote(nameItem);
    expect(Type.RIGHT_DELIM, context);
    List<String> savedVars = new ArrayList<>(vars);
    vars.clear();
    vars.add("$");
    ListAndEnd le = itemList();
    if (!(le.end instanceof End)) {
      throw error("unexpected {{else}} in " + context);
    }
    vars.clear();
    vars.addAll(savedVars);
    defined.put(defName, le.list);
  }

  private record ListAndEnd(Node.ListNode list, Marker end) {}

  private ListAndEnd itemList() {
    List<Node> nodes = new ArrayList<>();
    int pos = peekNonSpace().pos();
    while (peekNonSpace().type() != Type.EOF) {
      Object n = textOrAction();
      if (n instanceof Marker m) {
        return new ListAndEnd(new Node.ListNode(pos, nodes), m);
      }
      if (n != null) {
        nodes.add((Node) n);
      }
    }
    Item eof = peekNonSpace();
    if (eof.type() == Type.ERROR) {
      throw error(eof.val());
    }
    throw error("unexpected EOF");
  }

  /** A node, a Marker, or null for a comment-only action. */
  private Object textOrAction() {
    Item t = nextNonSpace();
    switch (t.type()) {
      case TEXT -> {
        return new Node.Text(t.pos(), t.val());
      }
      case LEFT_DELIM -> {
        return action();
      }
      default -> throw unexpected(t, "input");
    }
  }

  private Object action() {
    Item t = nextNonSpace();
    switch (t.type()) {
      case BLOCK -> {
        return blockControl();
      }
      case BREAK -> {
        Item n = nextNonSpace();
        if (n.type() != Type.RIGHT_DELIM) {
          throw unexpected(n, "{{break}}");
        }
        if (rangeDepth == 0) {
          throw error("{{break}} outside {{range}}");
        }
        return new Node.Break(t.pos());
      }
      case CONTINUE -> {
        Item n = nextNonSpace();
        if (n.type() != Type.RIGHT_DELIM) {
          throw unexpected(n, "{{continue}}");
        }
        if (rangeDepth == 0) {
          throw error("{{continue}} outside {{range}}");
        }
        return new Node.Continue(t.pos());
      }
      case ELSE -> {
        Item p = peekNonSpace();
        if (p.type() == Type.IF || p.type() == Type.WITH) {
          return new Else(p.pos());
        }
        Item n = nextNonSpace();
        if (n.type() != Type.RIGHT_DELIM) {
          throw unexpected(n, "else");
        }
        return new Else(n.pos());
      }
      case END -> {
        return new End(expect(Type.RIGHT_DELIM, "end").pos());
      }
      case IF -> {
        return control(Node.Branch.Kind.IF, "if");
      }
      case RANGE -> {
        return control(Node.Branch.Kind.RANGE, "range");
      }
      case WITH -> {
        return control(Node.Branch.Kind.WITH, "with");
      }
      case TEMPLATE -> {
        return templateControl();
      }
      default -> {
        backup();
        int pos = peek().pos();
        return new Node.Action(pos, pipeline("command", Type.RIGHT_DELIM));
      }
    }
  }

  private Node control(Node.Branch.Kind kind, String context) {
    int mark = vars.size();
    try {
      Node.Pipe pipe = pipeline(context, Type.RIGHT_DELIM);
      if (kind == Node.Branch.Kind.RANGE) {
        rangeDepth++;
      }
      ListAndEnd le = itemList();
      if (kind == Node.Branch.Kind.RANGE) {
        rangeDepth--;
      }
      Node.ListNode elseList = null;
      if (le.end instanceof Else e) {
        if (kind == Node.Branch.Kind.IF && peek().type() == Type.IF) {
          next();
          elseList = new Node.ListNode(e.pos(), List.of(control(Node.Branch.Kind.IF, "if")));
        } else if (kind == Node.Branch.Kind.WITH && peek().type() == Type.WITH) {
          next();
          elseList = new Node.ListNode(e.pos(),
              List.of(control(Node.Branch.Kind.WITH, "with")));
        } else {
          ListAndEnd el = itemList();
          if (!(el.end instanceof End)) {
            throw error("expected end; found {{else}}");
          }
          elseList = el.list;
        }
      }
      return new Node.Branch(pipe.pos(), kind, pipe, le.list, elseList);
    } finally {
      while (vars.size() > mark) {
        vars.remove(vars.size() - 1);
      }
    }
  }

  private String templateName(Item t, String context) {
    if (t.type() != Type.STRING && t.type() != Type.RAW_STRING) {
      throw unexpected(t, context);
    }
    return unquote(t);
  }

  private Node templateControl() {
    String context = "template clause";
    Item t = nextNonSpace();
    String tname = templateName(t, context);
    Node.Pipe pipe = null;
    if (nextNonSpace().type() != Type.RIGHT_DELIM) {
      backup();
      pipe = pipeline(context, Type.RIGHT_DELIM);
    }
    return new Node.TemplateCall(t.pos(), tname, pipe);
  }

  private Node blockControl() {
    String context = "block clause";
    Item t = nextNonSpace();
    String tname = templateName(t, context);
    Node.Pipe pipe = pipeline(context, Type.RIGHT_DELIM);
    List<String> savedVars = new ArrayList<>(vars);
    vars.clear();
    vars.add("$");
    ListAndEnd le = itemList();
    if (!(le.end instanceof End)) {
      throw error("unexpected {{else}} in " + context);
    }
    vars.clear();
    vars.addAll(savedVars);
    defined.put(tname, le.list);
    return new Node.TemplateCall(t.pos(), tname, pipe);
  }

  private Node.Pipe pipeline(String context, Type end) {
    int pos = peekNonSpace().pos();
    boolean isAssign = false;
    List<Node.Variable> decl = new ArrayList<>();
    decls:
    while (true) {
      Item v = peekNonSpace();
      if (v.type() != Type.VARIABLE) {
        break;
      }
      int save = i;
      nextNonSpace();
      Item nxt = peekNonSpace();
      if (nxt.type() == Type.ASSIGN || nxt.type() == Type.DECLARE) {
        isAssign = nxt.type() == Type.ASSIGN;
        nextNonSpace();
        decl.add(new Node.Variable(v.pos(), List.of(v.val())));
        vars.add(v.val());
        break;
      } else if (nxt.type() == Type.CHAR && nxt.val().equals(",")) {
        nextNonSpace();
        decl.add(new Node.Variable(v.pos(), List.of(v.val())));
        vars.add(v.val());
        if (context.equals("range") && decl.size() < 2) {
          Type pt = peekNonSpace().type();
          if (pt == Type.VARIABLE || pt == Type.RIGHT_DELIM || pt == Type.RIGHT_PAREN) {
            continue decls;
          }
          throw error("range can only initialize variables");
        }
        throw error("too many declarations in " + context);
      } else {
        i = save;
        break;
      }
    }
    List<Node.Command> cmds = new ArrayList<>();
    while (true) {
      Item t = nextNonSpace();
      if (t.type() == end) {
        if (cmds.isEmpty()) {
          throw error("missing value for " + context);
        }
        for (int k = 1; k < cmds.size(); k++) {
          Node first = cmds.get(k).args().get(0);
          if (first instanceof Node.Bool || first instanceof Node.Dot || first instanceof Node.Nil
              || first instanceof Node.Number || first instanceof Node.StringLit) {
            throw error("non executable command in pipeline stage " + (k + 1));
          }
        }
        return new Node.Pipe(pos, isAssign, decl, cmds);
      }
      switch (t.type()) {
        case BOOL, CHAR_CONSTANT, DOT, FIELD, IDENTIFIER, NUMBER, NIL, RAW_STRING, STRING,
            VARIABLE, LEFT_PAREN -> {
          backup();
          cmds.add(command());
        }
        default -> throw unexpected(t, context);
      }
    }
  }

  private Node.Command command() {
    int pos = peekNonSpace().pos();
    List<Node> args = new ArrayList<>();
    while (true) {
      peekNonSpace();
      Node operand = operand();
      if (operand != null) {
        args.add(operand);
      }
      Item t = next();
      if (t.type() == Type.SPACE) {
        continue;
      }
      if (t.type() == Type.RIGHT_DELIM || t.type() == Type.RIGHT_PAREN) {
        backup();
      } else if (t.type() != Type.PIPE) {
        throw unexpected(t, "operand");
      }
      break;
    }
    if (args.isEmpty()) {
      throw error("empty command");
    }
    return new Node.Command(pos, args);
  }

  private Node operand() {
    Node node = term();
    if (node == null) {
      return null;
    }
    if (peek().type() == Type.FIELD) {
      int pos = peek().pos();
      List<String> fields = new ArrayList<>();
      while (peek().type() == Type.FIELD) {
        fields.add(next().val().substring(1));
      }
      if (node instanceof Node.Field f) {
        List<String> all = new ArrayList<>(f.ident());
        all.addAll(fields);
        return new Node.Field(f.pos(), all);
      } else if (node instanceof Node.Variable v) {
        List<String> all = new ArrayList<>(v.ident());
        all.addAll(fields);
        return new Node.Variable(v.pos(), all);
      } else if (node instanceof Node.Bool || node instanceof Node.StringLit
          || node instanceof Node.Number || node instanceof Node.Nil || node instanceof Node.Dot) {
        throw error("unexpected . after term " + GoStrings.quote(node.toString()));
      }
      return new Node.Chain(pos, node, fields);
    }
    return node;
  }

  private Node term() {
    Item t = nextNonSpace();
    switch (t.type()) {
      case IDENTIFIER -> {
        if (!funcs.contains(t.val())) {
          throw error("function " + GoStrings.quote(t.val()) + " not defined");
        }
        return new Node.Identifier(t.pos(), t.val());
      }
      case DOT -> {
        return new Node.Dot(t.pos());
      }
      case NIL -> {
        return new Node.Nil(t.pos());
      }
      case VARIABLE -> {
        if (!vars.contains(t.val())) {
          throw error("undefined variable " + GoStrings.quote(t.val()));
        }
        return new Node.Variable(t.pos(), List.of(t.val()));
      }
      case FIELD -> {
        return new Node.Field(t.pos(), List.of(t.val().substring(1)));
      }
      case BOOL -> {
        return new Node.Bool(t.pos(), t.val().equals("true"));
      }
      case CHAR_CONSTANT, NUMBER -> {
        return number(t);
      }
      case LEFT_PAREN -> {
        return pipeline("parenthesized pipeline", Type.RIGHT_PAREN);
      }
      case STRING, RAW_STRING -> {
        return new Node.StringLit(t.pos(), t.val(), unquote(t));
      }
      default -> {
        backup();
        return null;
      }
    }
  }

  private Node.Number number(Item t) {
    String text = t.val();
    if (t.type() == Type.CHAR_CONSTANT) {
      String body = unquoteLiteral(text);
      if (body.codePointCount(0, body.length()) != 1) {
        throw error("malformed character constant: " + text);
      }
      int r = body.codePointAt(0);
      return new Node.Number(t.pos(), text, true, r, true, r, false);
    }
    if (text.endsWith("i")) {
      throw error("complex numbers are not supported: " + GoStrings.quote(text));
    }
    boolean looksFloat = text.matches(".*[.eEpP].*");
    // As Go's exec: hex digits may include 'e', so only an unsigned 0x literal without a 'p'
    // exponent counts as a hex integer.
    boolean hexInt = text.matches("0[xX][^pP]+");
    boolean floatSyntax = !hexInt && looksFloat;
    // The lexer has checked the template number grammar; the value is read as text/template
    // does: strconv.ParseInt(text, 0, 64), else strconv.ParseFloat(text, 64).
    try {
      long iv = GoNumbers.parseInt(text, 0, 64);
      return new Node.Number(t.pos(), text, true, iv, true, iv, floatSyntax);
    } catch (GoNumError notAnInt) {
      // a float, or an integer beyond int64
    }
    Double f = GoNumbers.tryParseFloat(text);
    if (f == null) {
      throw error("illegal number syntax: " + GoStrings.quote(text));
    }
    if (!looksFloat) {
      throw error("integer overflow: " + GoStrings.quote(text));
    }
    boolean fInt = f == Math.rint(f) && Math.abs(f) < 9.2e18;
    return new Node.Number(t.pos(), text, fInt, f.longValue(), true, f, floatSyntax);
  }

  /** Go's strconv.Unquote of a string token; raw strings drop carriage returns, as in Go. */
  private String unquote(Item t) {
    String v = t.val();
    if (t.type() == Type.RAW_STRING) {
      return v.substring(1, v.length() - 1).replace("\r", "");
    }
    return unquoteLiteral(v);
  }

  /** A quoted literal with Go escapes; the lexer has already checked where it ends. */
  private String unquoteLiteral(String quoted) {
    try {
      return GoStrings.unquote(quoted);
    } catch (IllegalArgumentException e) {
      throw error("invalid syntax");
    }
  }

  /** Helper for callers wanting an empty definitions map. */
  static Map<String, Node.ListNode> newDefinitions() {
    return new LinkedHashMap<>();
  }
}
