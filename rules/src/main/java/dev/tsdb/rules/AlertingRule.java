package dev.tsdb.rules;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.index.labels.Matcher;
import dev.tsdb.promql.value.Sample;
import dev.tsdb.rules.template.AlertTemplateData;
import dev.tsdb.rules.template.TemplateHistogram;
import dev.tsdb.rules.template.PromTemplateFuncs;
import dev.tsdb.rules.template.QueryFunction;
import dev.tsdb.rules.template.Template;
import dev.tsdb.rules.template.TemplateFunc;
import dev.tsdb.rules.template.TemplateException;
import dev.tsdb.rules.template.TemplateExpander;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Generates alerts from its expression, following Prometheus's rules/alerting.go: every result
 * element becomes a pending alert (labels and annotations expanded from templates), which fires
 * once it has been active for {@code for}; when the element disappears a firing alert is kept
 * firing for {@code keep_firing_for}, then resolved and remembered for 15 minutes so the
 * resolution reaches Alertmanager; a pending one is dropped. Once restored, every evaluation
 * emits {@code ALERTS} and {@code ALERTS_FOR_STATE} samples for pending and firing alerts.
 */
public final class AlertingRule extends Rule {
  static final String ALERT_METRIC = "ALERTS";
  static final String FOR_STATE_METRIC = "ALERTS_FOR_STATE";
  static final String ALERT_NAME = "alertname";
  static final String ALERT_STATE = "alertstate";
  static final long RESOLVED_RETENTION_MS = 15 * 60 * 1000L;

  private final long holdMs;
  private final long keepFiringForMs;
  private final Map<String, String> annotations; // sorted, unexpanded
  private final Map<String, Template> labelTemplates;
  private final Map<String, Template> annotationTemplates;
  private final Map<String, String> externalLabels;
  private final String externalUrl;
  private volatile boolean restored;
  /** Set by the rule manager; null until then (nothing counted). */
  private volatile io.micrometer.core.instrument.Counter expansions;
  private volatile io.micrometer.core.instrument.Counter expansionFailures;
  private final Object lock = new Object();
  private final Map<Labels, Alert> active = new LinkedHashMap<>();

  /**
   * Creates the rule; templates are parsed here so that syntax errors are load errors.
   *
   * @param restored false if the for-state still has to be restored from ALERTS_FOR_STATE
   */
  public AlertingRule(String name, String query, long holdMs, long keepFiringForMs, Labels labels,
      Map<String, String> annotations, Labels externalLabels, String externalUrl,
      boolean restored) throws TemplateException {
    super(name, query, labels);
    this.holdMs = holdMs;
    this.keepFiringForMs = keepFiringForMs;
    this.annotations = new TreeMap<>(annotations);
    this.externalLabels = new TreeMap<>();
    externalLabels.forEach(this.externalLabels::put);
    this.externalUrl = externalUrl == null ? "" : externalUrl;
    this.restored = restored;
    this.labelTemplates = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      labelTemplates.put(labels.name(i), TemplateExpander.parseAlert(name, labels.value(i)));
    }
    this.annotationTemplates = new LinkedHashMap<>();
    for (Map.Entry<String, String> a : this.annotations.entrySet()) {
      annotationTemplates.put(a.getKey(), TemplateExpander.parseAlert(name, a.getValue()));
    }
  }

  public long holdMs() {
    return holdMs;
  }

  public long keepFiringForMs() {
    return keepFiringForMs;
  }

  /** Unexpanded annotations, sorted by name. */
  public Map<String, String> annotations() {
    return annotations;
  }

  boolean restored() {
    return restored;
  }

  void setRestored(boolean r) {
    restored = r;
  }

  /** Counts template expansions (prometheus_template_text_expansion*_total). */
  void setTemplateMetrics(io.micrometer.core.instrument.Counter total,
      io.micrometer.core.instrument.Counter failures) {
    expansions = total;
    expansionFailures = failures;
  }

  private String expand(Template t, AlertTemplateData data, Map<String, TemplateFunc> funcs) {
    io.micrometer.core.instrument.Counter total = expansions;
    if (total != null) {
      total.increment();
    }
    String out = TemplateExpander.expandAlert(t, data, funcs);
    io.micrometer.core.instrument.Counter failures = expansionFailures;
    if (failures != null && out.startsWith("<error expanding template: ")) {
      failures.increment();
    }
    return out;
  }

  @Override
  List<Sample> eval(long tsMs, long queryOffsetMs, QueryFunction query, int limit)
      throws Exception {
    long t = tsMs - queryOffsetMs;
    List<Sample> res = query.query(query(), t);
    Map<Labels, Alert> alerts = new LinkedHashMap<>();
    LabelsBuilder lb = new LabelsBuilder();
    Map<String, TemplateFunc> funcs = res.isEmpty() ? Map.of()
        : PromTemplateFuncs.bind(query, tsMs, externalUrl);
    for (Sample smpl : res) {
      Map<String, String> l = new HashMap<>();
      smpl.metric().forEach(l::put);
      AlertTemplateData data = AlertTemplateData.of(l, externalLabels, externalUrl,
          TemplateHistogram.valueOf(smpl));
      lb.reset();
      smpl.metric().forEach(lb::set);
      lb.delete(Labels.METRIC_NAME);
      for (Map.Entry<String, Template> e : labelTemplates.entrySet()) {
        lb.set(e.getKey(), expand(e.getValue(), data, funcs));
      }
      lb.set(ALERT_NAME, name());
      Map<String, String> ann = new TreeMap<>();
      for (Map.Entry<String, Template> e : annotationTemplates.entrySet()) {
        ann.put(e.getKey(), expand(e.getValue(), data, funcs));
      }
      Labels lbs = lb.build();
      if (alerts.containsKey(lbs)) {
        throw new RuleEvalException(
            "vector contains metrics with the same labelset after applying alert labels");
      }
      // The alert's value is the float only: 0 for a histogram result, as Prometheus (Sample.F).
      alerts.put(lbs, new Alert(lbs, ann, tsMs, smpl.isHistogram() ? 0 : smpl.value()));
    }

    List<Sample> vec = new ArrayList<>();
    synchronized (lock) {
      for (Map.Entry<Labels, Alert> e : alerts.entrySet()) {
        Alert existing = active.get(e.getKey());
        if (existing != null && existing.state != AlertState.INACTIVE) {
          existing.value = e.getValue().value;
          existing.annotations = e.getValue().annotations;
          continue;
        }
        active.put(e.getKey(), e.getValue());
      }
      int numActivePending = 0;
      for (Iterator<Map.Entry<Labels, Alert>> it = active.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Labels, Alert> e = it.next();
        Alert a = e.getValue();
        if (!alerts.containsKey(e.getKey())) {
          boolean keepFiring = false;
          if (a.state == AlertState.FIRING && keepFiringForMs > 0) {
            if (a.keepFiringSinceMs == Alert.UNSET) {
              a.keepFiringSinceMs = tsMs;
            }
            if (tsMs - a.keepFiringSinceMs < keepFiringForMs) {
              keepFiring = true;
            }
          }
          if (a.state == AlertState.PENDING || (a.resolvedAtMs != Alert.UNSET
              && tsMs - a.resolvedAtMs > RESOLVED_RETENTION_MS)) {
            it.remove();
          }
          if (a.state != AlertState.INACTIVE && !keepFiring) {
            a.state = AlertState.INACTIVE;
            a.resolvedAtMs = tsMs;
          }
          if (!keepFiring) {
            continue;
          }
        } else {
          a.keepFiringSinceMs = Alert.UNSET;
        }
        numActivePending++;
        if (a.state == AlertState.PENDING && tsMs - a.activeAtMs >= holdMs) {
          a.state = AlertState.FIRING;
          a.firedAtMs = tsMs;
        }
        if (restored) {
          vec.add(alertSample(a, t));
          vec.add(forStateSample(a.labels, t, Math.floorDiv(a.activeAtMs, 1000)));
        }
      }
      if (limit > 0 && numActivePending > limit) {
        active.clear();
        throw new RuleEvalException("exceeded limit of " + limit + " with " + numActivePending
            + " alerts");
      }
    }
    return vec;
  }

  private Sample alertSample(Alert a, long t) {
    LabelsBuilder b = labels().toBuilder();
    a.labels.forEach(b::set);
    b.set(Labels.METRIC_NAME, ALERT_METRIC);
    b.set(ALERT_NAME, name());
    b.set(ALERT_STATE, a.state.apiName());
    return new Sample(b.build(), t, 1);
  }

  /** ALERTS_FOR_STATE: rule labels, then the alert's labels (if any), name and alertname. */
  Sample forStateSample(Labels alertLabels, long t, double v) {
    LabelsBuilder b = labels().toBuilder();
    if (alertLabels != null) {
      alertLabels.forEach(b::set);
    }
    b.set(Labels.METRIC_NAME, FOR_STATE_METRIC);
    b.set(ALERT_NAME, name());
    return new Sample(b.build(), t, v);
  }

  /** Equality matchers selecting every ALERTS_FOR_STATE series of this rule. */
  Matcher[] forStateMatchers() {
    Labels l = forStateSample(null, 0, 0).metric();
    Matcher[] ms = new Matcher[l.size()];
    for (int i = 0; i < l.size(); i++) {
      ms[i] = Matcher.eq(l.name(i), l.value(i));
    }
    return ms;
  }

  /** The highest alert state; UNKNOWN before the first evaluation. */
  public AlertState state() {
    if (evaluationTimestamp() == null) {
      return AlertState.UNKNOWN;
    }
    AlertState max = AlertState.INACTIVE;
    synchronized (lock) {
      for (Alert a : active.values()) {
        if (a.state.compareTo(max) > 0) {
          max = a.state;
        }
      }
    }
    return max;
  }

  /** Copies of pending and firing alerts (resolved ones excluded). */
  List<Alert> activeAlerts() {
    List<Alert> out = new ArrayList<>();
    synchronized (lock) {
      for (Alert a : active.values()) {
        if (a.resolvedAtMs == Alert.UNSET) {
          out.add(a.copy());
        }
      }
    }
    return out;
  }

  int activeCount() {
    synchronized (lock) {
      return active.size();
    }
  }

  /** Runs {@code f} on the live alerts under the rule's lock. */
  void forEachActive(Consumer<Alert> f) {
    synchronized (lock) {
      active.values().forEach(f);
    }
  }

  /** Marks and returns copies of the alerts due for (re)sending to Alertmanager. */
  List<Alert> alertsToSend(long tsMs, long resendDelayMs, long intervalMs) {
    List<Alert> out = new ArrayList<>();
    synchronized (lock) {
      for (Alert a : active.values()) {
        if (a.needsSending(tsMs, resendDelayMs)) {
          a.lastSentAtMs = tsMs;
          // Allow for two Eval or Alertmanager send failures.
          a.validUntilMs = tsMs + 4 * Math.max(intervalMs, resendDelayMs);
          out.add(a.copy());
        }
      }
    }
    return out;
  }

  void copyActiveFrom(AlertingRule other) {
    Map<Labels, Alert> copy = new LinkedHashMap<>();
    synchronized (other.lock) {
      other.active.forEach((k, v) -> copy.put(k, v));
    }
    synchronized (lock) {
      active.putAll(copy);
    }
  }

  @Override
  public String definition() {
    return "alert: " + name() + "\nexpr: " + query() + "\nfor: " + holdMs + "\nkeep_firing_for: "
        + keepFiringForMs + "\nlabels: " + labels() + "\nannotations: " + annotations + "\n";
  }
}
