package dev.tsdb.rules.rulefmt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tsdb.rules.PromQL;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RuleFileParserTest {
  static final Path DIR = Path.of("src/test/resources/rulefiles");

  private final RuleFileParser parser = new RuleFileParser(PromQL::format, NameValidation.UTF8);

  private List<String> errors(String file) {
    RuleFileException e = assertThrows(RuleFileException.class,
        () -> parser.parseFile(DIR.resolve(file)));
    return e.errors().stream().map(RuleFileError::message).collect(Collectors.toList());
  }

  @Test
  void validExample() throws Exception {
    RuleGroupsFile f = parser.parseFile(DIR.resolve("valid/node.yml"));
    assertEquals(2, f.groups().size());
    assertEquals(4, f.ruleCount());
    GroupDef g = f.groups().get(0);
    assertEquals("node.rules", g.name());
    assertEquals(30_000, g.intervalMs());
    assertNull(g.queryOffsetMs());
    RuleDef rec = g.rules().get(1);
    assertEquals("job:up:sum", rec.record());
    assertFalse(rec.isAlerting());
    assertEquals(Map.of("source", "recording"), rec.labels());
    GroupDef alerts = f.groups().get(1);
    assertEquals(100, alerts.limit());
    RuleDef down = alerts.rules().get(0);
    assertTrue(down.isAlerting());
    assertEquals("InstanceDown", down.name());
    assertEquals(300_000, down.forMs());
    assertEquals(60_000, down.keepFiringForMs());
    assertEquals(List.of("severity", "instance_short"), List.copyOf(down.labels().keySet()));
    assertEquals(15, down.line());
  }

  /** yaml.v3 resolves an int as strconv.ParseInt(text without underscores, 0, 64). */
  @Test
  void integersTakeGoBasePrefixes() throws Exception {
    String[][] cases = {{"100", "100"}, {"0x1F", "31"}, {"0777", "511"}, {"0b101", "5"},
        {"1_000", "1000"}, {"+7", "7"}};
    for (String[] c : cases) {
      RuleGroupsFile f = parser.parse("f.yml",
          "groups:\n- name: g\n  limit: " + c[0] + "\n  rules:\n  - record: r\n    expr: up\n");
      assertEquals(Integer.parseInt(c[1]), f.groups().get(0).limit(), c[0]);
    }
  }

  @Test
  void anchorsAliasesAndMergeKeys() throws Exception {
    List<RuleDef> rules = parser.parseFile(DIR.resolve("valid/anchors.yml")).groups().get(0)
        .rules();
    assertEquals(Map.of("team", "infra", "severity", "page"), rules.get(0).labels());
    assertEquals(Map.of("team", "infra", "severity", "ticket"), rules.get(1).labels());
    assertEquals(Map.of("team", "infra", "severity", "page"), rules.get(2).labels());
  }

  @Test
  void prometheus3Fields() throws Exception {
    GroupDef g = parser.parseFile(DIR.resolve("valid3x/group_labels.yml")).groups().get(0);
    assertEquals(60_000L, g.queryOffsetMs());
    assertEquals(Map.of("team", "infra"), g.labels());
  }

  @Test
  void largeGeneratedFiles() throws Exception {
    StringBuilder sb = new StringBuilder("groups:\n");
    for (int g = 0; g < 1000; g++) {
      sb.append("- name: g").append(g).append("\n  rules:\n");
      for (int r = 0; r < 40; r++) {
        sb.append("  - record: job:metric_").append(r).append(":sum\n")
            .append("    expr: sum by (job) (rate(some_fairly_long_metric_name_total{label=\"")
            .append(g).append("\"}[5m]))\n");
      }
    }
    assertTrue(sb.length() > 4_000_000, "size " + sb.length());
    assertEquals(40_000, parser.parse("big.yml", sb.toString()).ruleCount());
  }

  @Test
  void emptyFileHasNoGroups() throws Exception {
    assertEquals(0, parser.parse("empty.yml", "").groups().size());
    assertEquals(0, parser.parseFile(DIR.resolve("valid/empty_groups.yml")).groups().size());
  }

  @Test
  void structuralErrors() {
    assertEquals(List.of("5:17: 4:16: group \"g\", rule 1, \"A\": only one of 'record' and "
        + "'alert' must be set"), errors("invalid/record_and_alert.yml"));
    assertEquals(List.of("0:0: 0:0: group \"g\", rule 1, \"\": one of 'record' or 'alert' must "
        + "be set"), errors("invalid/neither.yml"));
    assertEquals(List.of("5:15: group \"g\", rule 1, \"x\": field 'expr' must be set in rule"),
        errors("invalid/empty_expr.yml"));
    assertEquals(List.of("6:5: groupname: \"g1\" is repeated in the same file"),
        errors("invalid/duplicate_group.yml"));
    assertEquals(List.of("2:5: Groupname must not be empty"),
        errors("invalid/empty_group_name.yml"));
    assertEquals(List.of(
        "4:17: group \"g\", rule 1, \"r\": invalid field 'annotations' in recording rule",
        "4:17: group \"g\", rule 1, \"r\": invalid field 'for' in recording rule",
        "4:17: group \"g\", rule 1, \"r\": invalid field 'keep_firing_for' in recording rule"),
        errors("invalid/recording_with_alert_fields.yml"));
    assertEquals(List.of("4:17: group \"g\", rule 1, \"job:up{x}\": braces present in the "
        + "recording rule name; should it be in expr?: job:up{x}"),
        errors("invalid/braces_in_record.yml"));
  }

  @Test
  void decodeErrors() {
    assertEquals(List.of("yaml: unmarshal errors:\n"
        + "  line 3: field unknown not found in type rulefmt.RuleGroup\n"
        + "  line 7: field foo not found in type rulefmt.Rule"), errors("invalid/unknown_field.yml"));
    assertEquals(List.of("unknown unit \"x\" in duration \"5x\""),
        errors("invalid/bad_duration.yml"));
    assertEquals(List.of("yaml: unmarshal errors:\n"
        + "  line 6: mapping key \"expr\" already defined at line 5"),
        errors("invalid/duplicate_key.yml"));
    assertEquals(List.of("yaml: unmarshal errors:\n  line 3: cannot unmarshal !!str `x` into int"),
        errors("invalid/limit_type.yml"));
    RuleFileException e = assertThrows(RuleFileException.class,
        () -> parser.parse("x.yml", "groups:\n- name: g\n  rules:\n  - record: r\n    expr: [1]\n"));
    assertEquals("x.yml: yaml: unmarshal errors:\n  line 5: cannot unmarshal !!seq into string",
        e.getMessage());
  }

  @Test
  void invalidPromQL() {
    assertEquals(List.of("5:15: group \"g\", rule 1, \"B\": could not parse expression: 1:6: "
        + "parse error: unexpected end of input"), errors("invalid/bad_promql.yml"));
  }

  @Test
  void labelsAndTemplates() {
    assertEquals(List.of("group \"g\", rule 1, \"A\": invalid label name: __name__"),
        errors("invalid/label_name_dunder.yml"));
    assertEquals(List.of(
        "group \"g\", rule 1, \"A\": label \"severity\": template: __alert_A:1: missing value for if",
        "group \"g\", rule 1, \"A\": annotation \"other\": template: __alert_A:1: function \"nope\" "
            + "not defined",
        "group \"g\", rule 1, \"A\": annotation \"summary\": template: __alert_A:1: unclosed action"),
        errors("invalid/template_syntax.yml"));
  }

  @Test
  void legacyNameValidation() {
    RuleFileParser legacy = new RuleFileParser(PromQL::format, NameValidation.LEGACY);
    String yaml = "groups:\n- name: g\n  rules:\n  - record: 1abc\n    expr: up\n"
        + "    labels:\n      bad-name: x\n";
    RuleFileException e = assertThrows(RuleFileException.class, () -> legacy.parse("f", yaml));
    assertEquals(List.of("4:13: group \"g\", rule 1, \"1abc\": invalid recording rule name: 1abc",
        "group \"g\", rule 1, \"1abc\": invalid label name: bad-name"),
        e.errors().stream().map(RuleFileError::message).toList());
    // The same names are fine under Prometheus 3's UTF-8 validation.
    assertEquals(1, assertDoesNotThrow(() -> parser.parse("f", yaml)).ruleCount());
  }

  private static <T> T assertDoesNotThrow(org.junit.jupiter.api.function.ThrowingSupplier<T> s) {
    return org.junit.jupiter.api.Assertions.assertDoesNotThrow(s);
  }

  @Test
  void errorsCarryFileAndPosition() {
    RuleFileException e = assertThrows(RuleFileException.class,
        () -> parser.parseFile(DIR.resolve("invalid/empty_expr.yml")));
    RuleFileError err = e.errors().get(0);
    assertEquals(DIR.resolve("invalid/empty_expr.yml").toString(), err.file());
    assertEquals(5, err.line());
    assertEquals(15, err.column());
    assertTrue(err.toString().startsWith(err.file() + ": 5:15: "));
  }

  @Test
  void missingFile() {
    RuleFileException e = assertThrows(RuleFileException.class,
        () -> parser.parseFile(DIR.resolve("nope.yml")));
    assertTrue(e.getMessage().endsWith("no such file or directory"), e.getMessage());
  }
}
