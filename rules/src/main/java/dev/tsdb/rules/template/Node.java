package dev.tsdb.rules.template;

import dev.tsdb.gocompat.GoStrings;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The parse tree of a template, mirroring Go's text/template/parse node types. {@code pos} is the
 * character offset in the template text (for "template: NAME:LINE:COL" messages);
 * {@link #toString()} is Go's node String(), used in "executing ... at &lt;NODE&gt;" errors.
 */
sealed interface Node {
  int pos();

  record Text(int pos, String text) implements Node {
    @Override
    public String toString() {
      return GoStrings.quote(text);
    }
  }

  record ListNode(int pos, List<Node> nodes) implements Node {
    @Override
    public String toString() {
      return nodes.stream().map(Object::toString).collect(Collectors.joining());
    }
  }

  /** A pipeline: optional variable declaration/assignment, then commands joined by '|'. */
  record Pipe(int pos, boolean isAssign, List<Variable> decl, List<Command> cmds) implements Node {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      if (!decl.isEmpty()) {
        sb.append(decl.stream().map(Object::toString).collect(Collectors.joining(", ")));
        sb.append(isAssign ? " = " : " := ");
      }
      sb.append(cmds.stream().map(Object::toString).collect(Collectors.joining(" | ")));
      return sb.toString();
    }
  }

  record Action(int pos, Pipe pipe) implements Node {
    @Override
    public String toString() {
      return "{{" + pipe + "}}";
    }
  }

  record Command(int pos, List<Node> args) implements Node {
    @Override
    public String toString() {
      return args.stream().map(a -> a instanceof Pipe ? "(" + a + ")" : a.toString())
          .collect(Collectors.joining(" "));
    }
  }

  /** A function name. */
  record Identifier(int pos, String ident) implements Node {
    @Override
    public String toString() {
      return ident;
    }
  }

  /** {@code $x.Field1.Field2}: ident[0] is the variable name including '$'. */
  record Variable(int pos, List<String> ident) implements Node {
    @Override
    public String toString() {
      return String.join(".", ident);
    }
  }

  record Dot(int pos) implements Node {
    @Override
    public String toString() {
      return ".";
    }
  }

  record Nil(int pos) implements Node {
    @Override
    public String toString() {
      return "nil";
    }
  }

  /** {@code .Field1.Field2}. */
  record Field(int pos, List<String> ident) implements Node {
    @Override
    public String toString() {
      return ident.stream().map(i -> "." + i).collect(Collectors.joining());
    }
  }

  /** A term followed by field accesses: {@code (pipeline).Field1.Field2}. */
  record Chain(int pos, Node node, List<String> field) implements Node {
    @Override
    public String toString() {
      String s = node instanceof Pipe ? "(" + node + ")" : node.toString();
      return s + field.stream().map(f -> "." + f).collect(Collectors.joining());
    }
  }

  record Bool(int pos, boolean value) implements Node {
    @Override
    public String toString() {
      return Boolean.toString(value);
    }
  }

  /**
   * A numeric constant. {@code isInt}/{@code isFloat} say which interpretations are exact, as in
   * Go; {@code floatSyntax} is true when the text looks like a float ('.', 'e'), which makes an
   * untyped use of it a float64 rather than an int.
   */
  record Number(int pos, String text, boolean isInt, long intValue, boolean isFloat,
      double floatValue, boolean floatSyntax) implements Node {
    @Override
    public String toString() {
      return text;
    }
  }

  record StringLit(int pos, String quoted, String text) implements Node {
    @Override
    public String toString() {
      return quoted;
    }
  }

  /** if / range / with share this shape. */
  record Branch(int pos, Kind kind, Pipe pipe, ListNode list, ListNode elseList) implements Node {
    enum Kind {
      IF, RANGE, WITH
    }

    @Override
    public String toString() {
      String name = kind.name().toLowerCase();
      String s = "{{" + name + " " + pipe + "}}" + list;
      if (elseList != null) {
        s += "{{else}}" + elseList;
      }
      return s + "{{end}}";
    }
  }

  record TemplateCall(int pos, String name, Pipe pipe) implements Node {
    @Override
    public String toString() {
      return pipe == null ? "{{template " + GoStrings.quote(name) + "}}"
          : "{{template " + GoStrings.quote(name) + " " + pipe + "}}";
    }
  }

  record Break(int pos) implements Node {
    @Override
    public String toString() {
      return "{{break}}";
    }
  }

  record Continue(int pos) implements Node {
    @Override
    public String toString() {
      return "{{continue}}";
    }
  }
}
