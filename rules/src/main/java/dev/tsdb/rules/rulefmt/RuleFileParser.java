package dev.tsdb.rules.rulefmt;

import dev.tsdb.gocompat.GoStrings;
import dev.tsdb.rules.template.TemplateException;
import dev.tsdb.rules.template.TemplateExpander;
import dev.tsdb.gocompat.ModelDuration;
import dev.tsdb.rules.yaml.YamlNode;
import dev.tsdb.rules.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Loads rule files in Prometheus's format and validates them as {@code promtool check rules}
 * (model/rulefmt) does, with the same messages:
 *
 * <ol>
 *   <li>Decoding (yaml.v3 with known fields): unknown fields, duplicate keys and type mismatches
 *       are collected into one {@code yaml: unmarshal errors:} error; an invalid duration stops
 *       decoding with its own message.
 *   <li>Validation: empty or repeated group names, record/alert both or neither, empty or
 *       unparsable expr, recording rules with annotations/for/keep_firing_for, invalid names,
 *       labels and annotations, and alert templates that do not parse.
 * </ol>
 *
 * <pre>
 * groups:
 *   - name: NAME                # required, unique per file
 *     interval: DURATION        # default: global evaluation_interval
 *     query_offset: DURATION    # default: global rule_query_offset
 *     limit: INT                # 0 = no limit
 *     labels: {NAME: VALUE}     # added to each rule's labels unless the rule sets them
 *     rules:
 *       - record: METRIC | alert: NAME
 *         expr: PROMQL
 *         for: DURATION         # alerting only
 *         keep_firing_for: DURATION  # alerting only
 *         labels: {NAME: VALUE} # templates allowed in alerting rules
 *         annotations: {NAME: TEMPLATE}  # alerting only
 * </pre>
 */
public final class RuleFileParser {
  private final ExprChecker exprChecker;
  private final NameValidation names;

  public RuleFileParser(ExprChecker exprChecker, NameValidation names) {
    this.exprChecker = exprChecker;
    this.names = names;
  }

  /** Reads and validates a file; errors are reported against {@code file.toString()}. */
  public RuleGroupsFile parseFile(Path file) throws RuleFileException {
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RuleFileException(List.of(new RuleFileError(file.toString(), 0, 0,
          "open " + file + ": " + (e instanceof java.nio.file.NoSuchFileException
              ? "no such file or directory" : e.getMessage()))));
    }
    return parse(file.toString(), content);
  }

  public RuleGroupsFile parse(String file, String content) throws RuleFileException {
    YamlNode root;
    try {
      root = YamlReader.read(content);
    } catch (YamlReader.YamlSyntaxException e) {
      throw new RuleFileException(List.of(new RuleFileError(file, 0, 0, e.getMessage())));
    }
    Decoder d = new Decoder();
    List<RawGroup> groups;
    try {
      groups = d.top(root);
    } catch (DecodeAbort e) {
      throw new RuleFileException(List.of(new RuleFileError(file, 0, 0, e.getMessage())));
    }
    if (!d.terrors.isEmpty()) {
      throw new RuleFileException(List.of(new RuleFileError(file, 0, 0,
          "yaml: unmarshal errors:\n  " + String.join("\n  ", d.terrors))));
    }
    List<RuleFileError> errors = new ArrayList<>();
    List<GroupDef> defs = validate(file, groups, errors);
    if (!errors.isEmpty()) {
      throw new RuleFileException(errors);
    }
    return new RuleGroupsFile(file, defs);
  }

  // ---- decoding with yaml.v3 semantics ----

  /** Aborts decoding with a message (an UnmarshalYAML error, e.g. a bad duration). */
  private static final class DecodeAbort extends Exception {
    DecodeAbort(String message) {
      super(message, null, false, false);
    }
  }

  private static final class RawRule {
    YamlNode.Scalar record;
    YamlNode.Scalar alert;
    YamlNode.Scalar expr;
    long forMs;
    long keepFiringForMs;
    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    int line;

    String text(YamlNode.Scalar s) {
      return s == null ? "" : s.text();
    }
  }

  private static final class RawGroup {
    String name = "";
    long intervalMs;
    Long queryOffsetMs;
    int limit;
    Map<String, String> labels = new LinkedHashMap<>();
    List<RawRule> rules = new ArrayList<>();
    int line;
    int column;
  }

  private static final class Decoder {
    final List<String> terrors = new ArrayList<>();

    void terror(YamlNode n, String into) {
      String value = "";
      if (n instanceof YamlNode.Scalar s) {
        String v = s.text();
        value = v.length() > 10 ? " `" + v.substring(0, 7) + "...`" : " `" + v + "`";
      }
      terrors.add("line " + n.line() + ": cannot unmarshal " + n.tag() + value + " into " + into);
    }

    static boolean isNull(YamlNode n) {
      return n == null || (n instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL);
    }

    /** Reports keys defined twice in a mapping, as yaml.v3 does before decoding its fields. */
    void checkDuplicates(YamlNode.Mapping m) {
      List<YamlNode.Entry> e = m.entries();
      for (int i = 0; i < e.size(); i++) {
        for (int j = i + 1; j < e.size(); j++) {
          if (e.get(i).key().text().equals(e.get(j).key().text())) {
            terrors.add("line " + e.get(j).key().line() + ": mapping key \""
                + e.get(j).key().text() + "\" already defined at line " + e.get(i).key().line());
          }
        }
      }
    }

    List<RawGroup> top(YamlNode root) throws DecodeAbort {
      List<RawGroup> groups = new ArrayList<>();
      if (isNull(root)) {
        return groups;
      }
      if (!(root instanceof YamlNode.Mapping m)) {
        terror(root, "rulefmt.RuleGroups");
        return groups;
      }
      checkDuplicates(m);
      for (YamlNode.Entry e : m.entries()) {
        if (e.key().text().equals("groups")) {
          groups = groups(e.value());
        } else {
          unknown(e, "rulefmt.RuleGroups");
        }
      }
      return groups;
    }

    void unknown(YamlNode.Entry e, String type) {
      terrors.add("line " + e.key().line() + ": field " + e.key().text() + " not found in type "
          + type);
    }

    List<RawGroup> groups(YamlNode n) throws DecodeAbort {
      List<RawGroup> out = new ArrayList<>();
      if (isNull(n)) {
        return out;
      }
      if (!(n instanceof YamlNode.Sequence seq)) {
        terror(n, "[]rulefmt.RuleGroup");
        return out;
      }
      for (YamlNode item : seq.items()) {
        RawGroup g = new RawGroup();
        g.line = item.line();
        g.column = item.column();
        out.add(g);
        if (isNull(item)) {
          continue;
        }
        if (!(item instanceof YamlNode.Mapping m)) {
          terror(item, "rulefmt.RuleGroup");
          continue;
        }
        checkDuplicates(m);
        for (YamlNode.Entry e : m.entries()) {
          YamlNode v = e.value();
          switch (e.key().text()) {
            case "name" -> g.name = string(v);
            case "interval" -> g.intervalMs = duration(v);
            case "query_offset" -> {
              if (!isNull(v)) {
                g.queryOffsetMs = duration(v);
              }
            }
            case "limit" -> g.limit = integer(v);
            case "labels" -> g.labels = stringMap(v);
            case "rules" -> g.rules = rules(v);
            default -> unknown(e, "rulefmt.RuleGroup");
          }
        }
      }
      return out;
    }

    List<RawRule> rules(YamlNode n) throws DecodeAbort {
      List<RawRule> out = new ArrayList<>();
      if (isNull(n)) {
        return out;
      }
      if (!(n instanceof YamlNode.Sequence seq)) {
        terror(n, "[]rulefmt.Rule");
        return out;
      }
      for (YamlNode item : seq.items()) {
        RawRule r = new RawRule();
        r.line = item.line();
        out.add(r);
        if (isNull(item)) {
          continue;
        }
        if (!(item instanceof YamlNode.Mapping m)) {
          terror(item, "rulefmt.Rule");
          continue;
        }
        checkDuplicates(m);
        for (YamlNode.Entry e : m.entries()) {
          YamlNode v = e.value();
          switch (e.key().text()) {
            case "record" -> r.record = scalarNode(v);
            case "alert" -> r.alert = scalarNode(v);
            case "expr" -> r.expr = scalarNode(v);
            case "for" -> r.forMs = duration(v);
            case "keep_firing_for" -> r.keepFiringForMs = duration(v);
            case "labels" -> r.labels = stringMap(v);
            case "annotations" -> r.annotations = stringMap(v);
            default -> unknown(e, "rulefmt.Rule");
          }
        }
      }
      return out;
    }

    /** A string-valued node kept with its position (yaml.Node fields of RuleNode). */
    YamlNode.Scalar scalarNode(YamlNode n) {
      if (n instanceof YamlNode.Scalar s) {
        return s.kind() == YamlNode.Scalar.Kind.NULL
            ? new YamlNode.Scalar("", YamlNode.Scalar.Kind.NULL, s.line(), s.column()) : s;
      }
      terror(n, "string");
      return new YamlNode.Scalar("", YamlNode.Scalar.Kind.NULL, n.line(), n.column());
    }

    String string(YamlNode n) {
      if (n instanceof YamlNode.Scalar s) {
        return s.text();
      }
      terror(n, "string");
      return "";
    }

    int integer(YamlNode n) {
      if (isNull(n)) {
        return 0;
      }
      if (n instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.INT) {
        try {
          long v = s.int64();
          if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return (int) v;
          }
        } catch (NumberFormatException e) {
          // fall through to the type error
        }
      }
      terror(n, "int");
      return 0;
    }

    long duration(YamlNode n) throws DecodeAbort {
      if (isNull(n)) {
        return 0;
      }
      if (!(n instanceof YamlNode.Scalar s)) {
        terror(n, "string");
        return 0;
      }
      try {
        return ModelDuration.parseMillis(s.text());
      } catch (IllegalArgumentException e) {
        throw new DecodeAbort(e.getMessage());
      }
    }

    Map<String, String> stringMap(YamlNode n) {
      Map<String, String> out = new LinkedHashMap<>();
      if (isNull(n)) {
        return out;
      }
      if (!(n instanceof YamlNode.Mapping m)) {
        terror(n, "map[string]string");
        return out;
      }
      checkDuplicates(m);
      for (YamlNode.Entry e : m.entries()) {
        YamlNode v = e.value();
        if (v instanceof YamlNode.Scalar s) {
          out.put(e.key().text(), s.text());
        } else {
          terror(v, "string");
        }
      }
      return out;
    }
  }

  // ---- validation (rulefmt.RuleGroups.Validate) ----

  private List<GroupDef> validate(String file, List<RawGroup> groups,
      List<RuleFileError> errors) {
    List<GroupDef> defs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (RawGroup g : groups) {
      if (g.name.isEmpty()) {
        errors.add(new RuleFileError(file, g.line, g.column,
            g.line + ":" + g.column + ": Groupname must not be empty"));
      }
      if (!seen.add(g.name)) {
        errors.add(new RuleFileError(file, g.line, g.column, g.line + ":" + g.column
            + ": groupname: \"" + g.name + "\" is repeated in the same file"));
      }
      for (Map.Entry<String, String> l : new TreeMap<>(g.labels).entrySet()) {
        if (!names.isValidLabelName(l.getKey()) || l.getKey().equals("__name__")) {
          errors.add(new RuleFileError(file, 0, 0, "invalid label name: " + l.getKey()));
        }
        if (!NameValidation.validUtf16(l.getValue())) {
          errors.add(new RuleFileError(file, 0, 0, "invalid label value: " + l.getValue()));
        }
      }
      List<RuleDef> rules = new ArrayList<>();
      for (int i = 0; i < g.rules.size(); i++) {
        RawRule r = g.rules.get(i);
        validateRule(file, g.name, i + 1, r, errors);
        rules.add(new RuleDef(r.text(r.record), r.text(r.alert), r.text(r.expr), r.forMs,
            r.keepFiringForMs, r.labels, r.annotations, r.line));
      }
      defs.add(new GroupDef(g.name, g.intervalMs, g.queryOffsetMs, g.limit, g.labels, rules,
          g.line));
    }
    return defs;
  }

  private static String pos(YamlNode.Scalar n) {
    return n == null ? "0:0" : n.line() + ":" + n.column();
  }

  private void validateRule(String file, String group, int index, RawRule r,
      List<RuleFileError> errors) {
    String record = r.text(r.record);
    String alert = r.text(r.alert);
    String expr = r.text(r.expr);
    String name = !alert.isEmpty() ? alert : record;
    String prefix = "group " + GoStrings.quote(group) + ", rule " + index + ", "
        + GoStrings.quote(name) + ": ";
    int recLine = r.record == null ? 0 : r.record.line();
    int recCol = r.record == null ? 0 : r.record.column();
    int exprLine = r.expr == null ? 0 : r.expr.line();
    int exprCol = r.expr == null ? 0 : r.expr.column();
    if (!record.isEmpty() && !alert.isEmpty()) {
      errors.add(new RuleFileError(file, recLine, recCol, pos(r.record) + ": " + pos(r.alert)
          + ": " + prefix + "only one of 'record' and 'alert' must be set"));
    }
    if (record.isEmpty() && alert.isEmpty()) {
      errors.add(new RuleFileError(file, recLine, recCol, pos(r.record) + ": " + pos(r.alert)
          + ": " + prefix + "one of 'record' or 'alert' must be set"));
    }
    if (expr.isEmpty()) {
      errors.add(new RuleFileError(file, exprLine, exprCol,
          pos(r.expr) + ": " + prefix + "field 'expr' must be set in rule"));
    } else {
      try {
        exprChecker.check(expr);
      } catch (Exception e) {
        errors.add(new RuleFileError(file, exprLine, exprCol,
            pos(r.expr) + ": " + prefix + "could not parse expression: " + e.getMessage()));
      }
    }
    if (!record.isEmpty()) {
      String at = pos(r.record) + ": " + prefix;
      if (!r.annotations.isEmpty()) {
        errors.add(new RuleFileError(file, recLine, recCol,
            at + "invalid field 'annotations' in recording rule"));
      }
      if (r.forMs != 0) {
        errors.add(new RuleFileError(file, recLine, recCol,
            at + "invalid field 'for' in recording rule"));
      }
      if (r.keepFiringForMs != 0) {
        errors.add(new RuleFileError(file, recLine, recCol,
            at + "invalid field 'keep_firing_for' in recording rule"));
      }
      if (!names.isValidMetricName(record)) {
        errors.add(new RuleFileError(file, recLine, recCol,
            at + "invalid recording rule name: " + record));
      }
      if (record.contains("{") || record.contains("}")) {
        errors.add(new RuleFileError(file, recLine, recCol, at
            + "braces present in the recording rule name; should it be in expr?: " + record));
      }
    }
    for (Map.Entry<String, String> l : new TreeMap<>(r.labels).entrySet()) {
      if (!names.isValidLabelName(l.getKey()) || l.getKey().equals("__name__")) {
        errors.add(new RuleFileError(file, 0, 0, prefix + "invalid label name: " + l.getKey()));
      }
      if (!NameValidation.validUtf16(l.getValue())) {
        errors.add(new RuleFileError(file, 0, 0, prefix + "invalid label value: "
            + l.getValue()));
      }
    }
    for (String k : new TreeMap<>(r.annotations).keySet()) {
      if (!names.isValidLabelName(k)) {
        errors.add(new RuleFileError(file, 0, 0, prefix + "invalid annotation name: " + k));
      }
    }
    if (!alert.isEmpty()) {
      for (Map.Entry<String, String> l : new TreeMap<>(r.labels).entrySet()) {
        templateError(alert, l.getValue()).ifPresent(m -> errors.add(new RuleFileError(file, 0, 0,
            prefix + "label " + GoStrings.quote(l.getKey()) + ": " + m)));
      }
      for (Map.Entry<String, String> a : new TreeMap<>(r.annotations).entrySet()) {
        templateError(alert, a.getValue()).ifPresent(m -> errors.add(new RuleFileError(file, 0, 0,
            prefix + "annotation " + GoStrings.quote(a.getKey()) + ": " + m)));
      }
    }
  }

  private static java.util.Optional<String> templateError(String alert, String text) {
    try {
      TemplateExpander.parseAlert(alert, text);
      return java.util.Optional.empty();
    } catch (TemplateException e) {
      return java.util.Optional.of(e.getMessage());
    }
  }
}
