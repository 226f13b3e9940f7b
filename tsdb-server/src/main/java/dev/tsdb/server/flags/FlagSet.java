package dev.tsdb.server.flags;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small flag registry with Prometheus's (kingpin's) syntax: {@code --name=value},
 * {@code --name value}, {@code --bool} / {@code --no-bool}, repeatable flags, {@code --help} and
 * {@code --version}. Parsing validates every value with its flag's parser.
 */
public final class FlagSet {
  private final String program;
  private final Map<String, Flag<?>> flags = new LinkedHashMap<>();

  public FlagSet(String program) {
    this.program = program;
  }

  public <T> Flag<T> add(Flag<T> f) {
    if (flags.putIfAbsent(f.name(), f) != null) {
      throw new IllegalArgumentException("duplicate flag " + f.name());
    }
    return f;
  }

  public Iterable<Flag<?>> all() {
    return flags.values();
  }

  /** The outcome of parsing: values by flag, plus whether --help or --version was asked for. */
  public static final class Parsed {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> text = new LinkedHashMap<>();
    private final Map<String, Boolean> explicit = new LinkedHashMap<>();
    private boolean help;
    private boolean version;

    @SuppressWarnings("unchecked")
    public <T> T get(Flag<T> f) {
      return (T) values.get(f.name());
    }

    @SuppressWarnings("unchecked")
    public List<String> getAll(Flag<String> f) {
      return (List<String>) values.get(f.name());
    }

    /** Whether the user set the flag (rather than relying on its default). */
    public boolean isSet(Flag<?> f) {
      return explicit.getOrDefault(f.name(), false);
    }

    /** Every flag with its effective value as text (what /api/v1/status/flags shows). */
    public Map<String, String> asText() {
      return text;
    }

    public boolean help() {
      return help;
    }

    public boolean version() {
      return version;
    }
  }

  public Parsed parse(String[] args) throws FlagException {
    Parsed p = new Parsed();
    Map<String, List<String>> repeated = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        p.help = true;
        continue;
      }
      if (a.equals("--version")) {
        p.version = true;
        continue;
      }
      if (!a.startsWith("--") || a.length() == 2) {
        throw new FlagException("unexpected argument " + quote(a) + ", try --help");
      }
      String body = a.substring(2);
      String name = body;
      String value = null;
      int eq = body.indexOf('=');
      if (eq >= 0) {
        name = body.substring(0, eq);
        value = body.substring(eq + 1);
      }
      Flag<?> f = flags.get(name);
      boolean negated = false;
      if (f == null && name.startsWith("no-")) {
        Flag<?> g = flags.get(name.substring(3));
        if (g != null && g.isBoolean() && value == null) {
          f = g;
          negated = true;
        }
      }
      if (f == null) {
        throw new FlagException("unknown long flag '--" + name + "', try --help");
      }
      if (f.isBoolean()) {
        if (value == null) {
          value = negated ? "false" : "true";
        }
      } else if (value == null) {
        if (i + 1 >= args.length) {
          throw new FlagException("expected argument for flag '--" + name + "'");
        }
        value = args[++i];
      }
      Object parsed;
      try {
        parsed = f.parser().apply(value);
      } catch (IllegalArgumentException e) {
        throw new FlagException("invalid value " + quote(value) + " for flag '--" + name + "': "
            + e.getMessage());
      }
      p.explicit.put(f.name(), true);
      if (f.repeatable()) {
        repeated.computeIfAbsent(f.name(), k -> new ArrayList<>()).add(value);
      } else {
        p.values.put(f.name(), parsed);
        p.text.put(f.name(), value);
      }
    }
    for (Flag<?> f : flags.values()) {
      if (f.repeatable()) {
        // A repeatable flag's default (comma-separated) applies only when it is not given at all,
        // as kingpin's cumulative defaults.
        List<String> vs = repeated.getOrDefault(f.name(),
            f.defaultValue().isEmpty() ? List.of() : List.of(f.defaultValue().split(",")));
        p.values.put(f.name(), List.copyOf(vs));
        p.text.put(f.name(), String.join(",", vs));
      } else if (!p.values.containsKey(f.name())) {
        try {
          p.values.put(f.name(), f.defaultValue().isEmpty() && !f.isBoolean()
              ? defaultOrNull(f) : f.parser().apply(f.defaultValue()));
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("bad default for " + f.name(), e);
        }
        p.text.put(f.name(), f.defaultValue());
      }
    }
    return p;
  }

  private static Object defaultOrNull(Flag<?> f) {
    try {
      return f.parser().apply("");
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Help text in kingpin's layout. */
  public String usage() {
    StringBuilder sb = new StringBuilder();
    sb.append("usage: ").append(program).append(" [<flags>]\n\n");
    sb.append("The tsdb server: a Prometheus-compatible time-series database.\n\n");
    sb.append("Flags:\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"-h, --[no-]help", "Show context-sensitive help."});
    for (Flag<?> f : flags.values()) {
      String left = f.isBoolean() ? "    --[no-]" + f.name() : "    --" + f.name() + "="
          + f.placeholder();
      String help = f.help();
      if (!f.isBoolean() && !f.defaultValue().isEmpty()) {
        help += " (default: " + f.defaultValue() + ")";
      }
      if (f.repeatable()) {
        help += " (repeatable)";
      }
      rows.add(new String[] {left, help});
    }
    rows.add(new String[] {"    --[no-]version", "Show application version."});
    int width = 0;
    for (String[] r : rows) {
      width = Math.max(width, r[0].length());
    }
    for (String[] r : rows) {
      sb.append("  ").append(r[0]);
      sb.append(" ".repeat(width - r[0].length() + 2)).append(r[1]).append('\n');
    }
    return sb.toString();
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
