package dev.tsdb.rules;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.rules.template.QueryFunction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Records its expression's result under a new metric name plus the rule's labels. */
public final class RecordingRule extends Rule {
  public RecordingRule(String name, String query, Labels labels) {
    super(name, query, labels);
  }

  @Override
  List<Sample> eval(long tsMs, long queryOffsetMs, QueryFunction query, int limit)
      throws Exception {
    long t = tsMs - queryOffsetMs;
    List<Sample> vector = query.query(query(), t);
    List<Sample> out = new ArrayList<>(vector.size());
    Set<Labels> seen = new HashSet<>();
    LabelsBuilder b = new LabelsBuilder();
    for (Sample s : vector) {
      b.reset();
      s.metric().forEach(b::set);
      b.set(Labels.METRIC_NAME, name());
      labels().forEach(b::set);
      Labels l = b.build();
      if (!seen.add(l)) {
        throw new RuleEvalException(
            "vector contains metrics with the same labelset after applying rule labels");
      }
      // A histogram result is recorded as a histogram (Prometheus keeps Sample.H as is).
      out.add(new Sample(l, t, s.value(), s.histogram()));
    }
    if (limit > 0 && out.size() > limit) {
      throw new RuleEvalException("exceeded limit of " + limit + " with " + out.size()
          + " series");
    }
    return out;
  }

  @Override
  public String definition() {
    return "record: " + name() + "\nexpr: " + query() + "\nlabels: " + labels() + "\n";
  }
}
