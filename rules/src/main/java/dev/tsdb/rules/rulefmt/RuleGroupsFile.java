package dev.tsdb.rules.rulefmt;

import java.util.List;

/** A parsed and validated rule file. */
public record RuleGroupsFile(String file, List<GroupDef> groups) {
  public RuleGroupsFile {
    groups = List.copyOf(groups);
  }

  public int ruleCount() {
    return groups.stream().mapToInt(g -> g.rules().size()).sum();
  }
}
