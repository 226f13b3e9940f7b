package dev.tsdb.promql.engine;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import dev.tsdb.promql.ast.AtMode;
import dev.tsdb.promql.ast.Call;
import dev.tsdb.promql.ast.Expr;
import dev.tsdb.promql.ast.SubqueryExpr;
import dev.tsdb.promql.ast.VectorSelector;
import dev.tsdb.index.storage.SelectHints;
import dev.tsdb.index.storage.Series;
import dev.tsdb.index.storage.SeriesSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The experimental {@code info(v [, {data-label selector}])} function: enriches each series of
 * {@code v} with the data labels of the info series (by default {@code target_info}) that share
 * its identifying labels {@code instance} and {@code job}, as Prometheus's promql/info.go.
 */
final class InfoFunction {
  private InfoFunction() {}

  private static final String TARGET_INFO = "target_info";
  private static final List<String> IDENTIFYING = List.of("instance", "job");

  static List<EvalSeries> eval(Evaluator ev, Call c) {
    List<EvalSeries> mat = ev.evalMatrix(c.args().get(0));
    Map<String, List<Matcher>> dataMatchers = new LinkedHashMap<>();
    List<Matcher> infoNameMatchers = new ArrayList<>();
    if (c.args().size() > 1) {
      Expr sel = Functions.unwrap(c.args().get(1));
      if (!(sel instanceof VectorSelector vs)) {
        throw new PromQLException(ErrorType.BAD_DATA, "info: second argument must be a label "
            + "selector");
      }
      for (Matcher m : vs.matchers()) {
        dataMatchers.computeIfAbsent(m.name(), x -> new ArrayList<>()).add(m);
        if (m.name().equals(LabelOps.NAME)) {
          infoNameMatchers.add(m);
        }
      }
    } else {
      infoNameMatchers.add(Matcher.eq(LabelOps.NAME, TARGET_INFO));
    }
    if (!infoNameMatchers.isEmpty()
        && infoNameMatchers.stream().allMatch(m -> m.type().isNegative())) {
      // Only exclusions given: the candidates are still info metrics (named *_info).
      Matcher anyInfo = Matcher.re(LabelOps.NAME, ".+_info");
      infoNameMatchers.add(anyInfo);
      dataMatchers.computeIfAbsent(LabelOps.NAME, x -> new ArrayList<>()).add(anyInfo);
    }

    // Info series themselves are not enriched.
    Set<Labels> ignore = new HashSet<>();
    for (EvalSeries s : mat) {
      if (!infoNameMatchers.isEmpty() && matchesAll(infoNameMatchers, s.metric.metricName())) {
        ignore.add(s.metric);
      }
    }

    List<EvalSeries> infoMat = fetchInfoSeries(ev, c.args().get(0), mat, ignore, dataMatchers);
    return combine(ev, mat, infoMat, ignore, dataMatchers);
  }

  private static boolean matchesAll(List<Matcher> ms, String value) {
    for (Matcher m : ms) {
      if (!m.matches(value)) {
        return false;
      }
    }
    return true;
  }

  private static void removeNameMatchers(Map<String, List<Matcher>> dataMatchers) {
    dataMatchers.remove(LabelOps.NAME);
  }

  private static List<EvalSeries> fetchInfoSeries(Evaluator ev, Expr base, List<EvalSeries> mat,
      Set<Labels> ignore, Map<String, List<Matcher>> dataMatchers) {
    Map<String, Set<String>> idValues = new LinkedHashMap<>();
    for (EvalSeries s : mat) {
      if (ignore.contains(s.metric)) {
        continue;
      }
      for (String l : IDENTIFYING) {
        String v = s.metric.get(l);
        if (!v.isEmpty()) {
          idValues.computeIfAbsent(l, x -> new LinkedHashSet<>()).add(v);
        }
      }
    }
    if (idValues.isEmpty()) {
      removeNameMatchers(dataMatchers);
      return List.of();
    }
    List<Matcher> matchers = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : idValues.entrySet()) {
      StringBuilder re = new StringBuilder();
      for (String v : e.getValue()) {
        if (re.length() > 0) {
          re.append('|');
        }
        re.append(quoteMeta(v));
      }
      matchers.add(Matcher.re(e.getKey(), re.toString()));
    }
    boolean hasName = false;
    for (List<Matcher> ms : dataMatchers.values()) {
      for (Matcher m : ms) {
        if (m.name().equals(LabelOps.NAME)) {
          hasName = true;
        }
        matchers.add(m);
      }
    }
    removeNameMatchers(dataMatchers);
    if (!hasName) {
      matchers.add(0, Matcher.eq(LabelOps.NAME, TARGET_INFO));
    }

    // Info samples are read as of the base data's reference time (its @ and offsets).
    RefTime ref = refTime(base);
    long start = ref.at(ev.start);
    long end = ref.at(ev.end);
    long lb = ev.ctx.lookbackMs;
    SelectHints hints = new SelectHints(start - (lb - 1), end, ev.interval, 0, "info",
        List.of(), false);
    SeriesSet set = ev.ctx.querier.select(true, hints, matchers.toArray(new Matcher[0]));
    List<Series> infoSeries = new ArrayList<>();
    while (set.next()) {
      infoSeries.add(set.at());
    }
    if (set.error() != null) {
      throw new PromQLException(ErrorType.EXECUTION, set.error().getMessage(), set.error());
    }
    // Each point's value is the timestamp of the underlying sample, to pick the newest.
    List<EvalSeries> out = new ArrayList<>(infoSeries.size());
    SampleBuffer buf = ev.ctx.buffer;
    for (Series s : infoSeries) {
      buf.load(s, start - lb + 1, end, false);
      EvalSeries es = null;
      int j = 0;
      for (long ts = ev.start; ts <= ev.end; ts += ev.interval) {
        long r = ref.at(ts);
        while (j < buf.n && buf.t[j] <= r) {
          j++;
        }
        if (j == 0) {
          continue;
        }
        int k = j - 1;
        if (buf.t[k] <= r - lb || buf.isStaleAt(k)) {
          continue;
        }
        if (es == null) {
          es = new EvalSeries(s.labels(), 4);
        }
        // A histogram is kept as such only so the join can reject it (info samples are floats).
        es.add(ts, buf.t[k], buf.h(k));
      }
      if (es != null) {
        out.add(es);
      }
    }
    return out;
  }

  /** Maps an evaluation time to the time the base expression's samples are read at. */
  private record RefTime(boolean pinned, long base, long offset) {
    long at(long ts) {
      return (pinned ? base : ts) - offset;
    }
  }

  /**
   * The reference time along the path to the first selector of the base expression: offsets of
   * subqueries and the selector add up; an {@code @} pins the time and restarts the sum.
   */
  private static RefTime refTime(Expr e) {
    boolean pinned = false;
    long base = 0;
    long offset = 0;
    Expr cur = e;
    while (cur != null) {
      if (cur instanceof SubqueryExpr sq) {
        if (sq.atMode() != AtMode.NONE) {
          pinned = true;
          base = sq.atMs();
          offset = 0;
        }
        offset += sq.offsetMs();
      } else if (cur instanceof VectorSelector vs) {
        if (vs.atMode() != AtMode.NONE) {
          pinned = true;
          base = vs.atMs();
          offset = 0;
        }
        offset += vs.offsetMs();
        break;
      }
      List<Expr> ch = cur.children();
      cur = null;
      for (Expr c : ch) {
        if (containsSelector(c)) {
          cur = c;
          break;
        }
      }
    }
    return new RefTime(pinned, base, offset);
  }

  private static boolean containsSelector(Expr e) {
    if (e instanceof VectorSelector) {
      return true;
    }
    for (Expr c : e.children()) {
      if (containsSelector(c)) {
        return true;
      }
    }
    return false;
  }

  /** Go's regexp.QuoteMeta. */
  static String quoteMeta(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.toString();
  }

  private static String signature(String infoName, Labels ls) {
    StringBuilder sb = new StringBuilder(infoName);
    for (String l : IDENTIFYING) {
      sb.append('\u00ff').append(ls.get(l));
    }
    return sb.toString();
  }

  private static List<EvalSeries> combine(Evaluator ev, List<EvalSeries> mat,
      List<EvalSeries> infoMat, Set<Labels> ignore, Map<String, List<Matcher>> dataMatchers) {
    Set<String> infoNames = new LinkedHashSet<>();
    for (EvalSeries s : infoMat) {
      infoNames.add(s.metric.metricName());
    }
    Map<Labels, Map<String, String>> baseSigs = new HashMap<>();
    for (EvalSeries s : mat) {
      Map<String, String> sigs = new LinkedHashMap<>();
      for (String n : infoNames) {
        sigs.put(n, signature(n, s.metric));
      }
      baseSigs.put(s.metric, sigs);
    }
    Map<Labels, String> infoSigs = new HashMap<>();
    for (EvalSeries s : infoMat) {
      infoSigs.put(s.metric, signature(s.metric.metricName(), s.metric));
    }
    boolean allMatchEmpty = dataMatchers.values().stream()
        .allMatch(ms -> ms.stream().allMatch(m -> m.matches("")));
    List<List<EvalSeries>> mats = new ArrayList<>();
    mats.add(mat);
    mats.add(infoMat);
    boolean anyDataMatchers = !dataMatchers.isEmpty();
    return ev.rangeEvalMats((in, out, ts) -> {
      StepVector base = in[0];
      StepVector info = in[1];
      if (base.n == 0) {
        return;
      }
      Map<String, Integer> bySig = new HashMap<>();
      for (int i = 0; i < info.n; i++) {
        if (info.h[i] != null) {
          throw ev.error("info sample should be float");
        }
        String sig = infoSigs.get(info.metric[i]);
        Integer existing = bySig.get(sig);
        if (existing == null) {
          bySig.put(sig, i);
          continue;
        }
        long existingT = (long) info.f[existing];
        long t = (long) info.f[i];
        if (existingT < t) {
          bySig.put(sig, i);
        } else if (existingT == t) {
          throw ev.error("found duplicate series for info metric: existing "
              + info.metric[existing] + " @ " + existingT + ", new " + info.metric[i] + " @ "
              + t);
        }
      }
      for (int i = 0; i < base.n; i++) {
        Labels bm = base.metric[i];
        if (ignore.contains(bm)) {
          out.add(bm, base.f[i], base.h[i], base.drop[i], 0, -1);
          continue;
        }
        LabelsBuilder lb = new LabelsBuilder();
        int seen = 0;
        for (Map.Entry<String, String> e : baseSigs.get(bm).entrySet()) {
          Integer idx = bySig.get(e.getValue());
          if (idx == null) {
            continue;
          }
          Labels im = info.metric[idx];
          for (int k = 0; k < im.size(); k++) {
            String name = im.name(k);
            String value = im.value(k);
            if (name.equals(LabelOps.NAME)) {
              continue;
            }
            if (anyDataMatchers && !dataMatchers.containsKey(name)) {
              continue;
            }
            String prev = lb.get(name);
            if (!prev.isEmpty() && !prev.equals(value)) {
              throw ev.error("conflicting label: " + name);
            }
            if (bm.has(name)) {
              continue;
            }
            lb.set(name, value);
          }
          seen++;
        }
        if (seen == 0 && !allMatchEmpty) {
          continue;
        }
        Labels extra = lb.build();
        Labels outLabels = bm;
        if (!extra.isEmpty()) {
          LabelsBuilder b = bm.toBuilder();
          for (int k = 0; k < extra.size(); k++) {
            b.set(extra.name(k), extra.value(k));
          }
          outLabels = b.build();
        }
        out.add(outLabels, base.f[i], base.h[i], base.drop[i], 0, -1);
      }
    }, mats);
  }
}
