package dev.tsdb.rules.rulefmt;

import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rule group as written in a rule file.
 *
 * @param intervalMs evaluation interval, 0 = the global evaluation_interval
 * @param queryOffsetMs query_offset, null = the global rule_query_offset
 * @param limit max series (recording) or alerts (alerting) per rule, 0 = no limit
 * @param labels group labels, added to every rule's labels unless the rule sets them (3.x)
 */
public record GroupDef(String name, long intervalMs, Long queryOffsetMs, int limit,
    Map<String, String> labels, List<RuleDef> rules, int line) {
  public GroupDef {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    rules = List.copyOf(rules);
  }
}
