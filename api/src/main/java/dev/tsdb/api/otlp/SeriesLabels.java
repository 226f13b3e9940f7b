package dev.tsdb.api.otlp;

import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import dev.tsdb.rules.config.OtlpConfig;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the labels of a data point's series as Prometheus's OTLP receiver does: the point's
 * attributes (names escaped unless the strategy keeps UTF-8; attributes that escape to the same
 * name have their values joined with ';' in name order), then the promoted resource attributes
 * where no attribute took the name, the scope's labels (with {@code promote_scope_metadata}),
 * then {@code job} ({@code service.namespace/service.name}) and {@code instance}
 * ({@code service.instance.id}), which win over attributes of those names.
 */
final class SeriesLabels {
  static final String SERVICE_NAME = "service.name";
  static final String SERVICE_NAMESPACE = "service.namespace";
  static final String SERVICE_INSTANCE_ID = "service.instance.id";
  static final List<String> IDENTIFYING = List.of(SERVICE_NAMESPACE, SERVICE_NAME,
      SERVICE_INSTANCE_ID);

  private final OtlpConfig config;
  private final boolean escape;
  private final LabelNamer namer;

  SeriesLabels(OtlpConfig config) {
    this.config = config;
    this.escape = config.translationStrategy().escapes();
    this.namer = new LabelNamer(config.labelNameUnderscoreSanitization(),
        config.labelNamePreserveMultipleUnderscores());
  }

  /** What every series of one resource shares. */
  final class ResourceLabels {
    final Resource resource;
    final String job;
    final String instance;
    /** Promoted attributes, names escaped, in name order. */
    final Map<String, String> promoted;

    ResourceLabels(Resource resource) {
      this.resource = resource;
      Map<String, String> attrs = new LinkedHashMap<>();
      for (KeyValue kv : resource.getAttributesList()) {
        attrs.put(kv.getKey(), AttributeValues.asString(kv.getValue()));
      }
      String name = attrs.get(SERVICE_NAME);
      String ns = attrs.get(SERVICE_NAMESPACE);
      job = name == null ? null : ns != null ? ns + "/" + name : name;
      instance = attrs.get(SERVICE_INSTANCE_ID);
      promoted = new LinkedHashMap<>();
      Set<String> listed = Set.copyOf(config.promoteAllResourceAttributes()
          ? config.ignoreResourceAttributes() : config.promoteResourceAttributes());
      new TreeMap<>(attrs).forEach((k, v) -> {
        if (listed.contains(k) != config.promoteAllResourceAttributes()) {
          promoted.putIfAbsent(labelName(k), v);
        }
      });
    }
  }

  /** The scope's labels when {@code promote_scope_metadata} is on, else none. */
  Map<String, String> scopeLabels(InstrumentationScope scope, String schemaUrl) {
    if (!config.promoteScopeMetadata()) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("otel_scope_name", scope.getName());
    out.put("otel_scope_version", scope.getVersion());
    out.put("otel_scope_schema_url", schemaUrl);
    for (KeyValue kv : scope.getAttributesList()) {
      out.put(labelName("otel_scope_" + kv.getKey()), AttributeValues.asString(kv.getValue()));
    }
    return out;
  }

  /** A data point's labels without {@code __name__}. */
  LabelsBuilder point(ResourceLabels res, Map<String, String> scope, List<KeyValue> attributes) {
    LabelsBuilder b = new LabelsBuilder();
    addAttributes(b, attributes, List.of());
    res.promoted.forEach((k, v) -> {
      if (b.get(k).isEmpty()) {
        b.set(k, v);
      }
    });
    scope.forEach(b::set);
    identify(b, res);
    return b;
  }

  /**
   * The {@code target_info} series of a resource: its attributes as labels (without the
   * identifying ones unless {@code keep_identifying_resource_attributes}), or null when it has
   * no other attributes or neither job nor instance, as Prometheus.
   */
  Labels targetInfo(ResourceLabels res) {
    List<KeyValue> attrs = res.resource.getAttributesList();
    long others = attrs.stream().filter(kv -> !IDENTIFYING.contains(kv.getKey())).count();
    if (others == 0 || (res.job == null && res.instance == null)) {
      return null;
    }
    LabelsBuilder b = new LabelsBuilder();
    addAttributes(b, attrs,
        config.keepIdentifyingResourceAttributes() ? List.of() : IDENTIFYING);
    identify(b, res);
    b.set(Labels.METRIC_NAME, "target_info");
    return b.build();
  }

  String labelName(String name) {
    return escape ? namer.build(name) : name;
  }

  private void addAttributes(LabelsBuilder b, List<KeyValue> attributes, List<String> skip) {
    List<KeyValue> sorted = new ArrayList<>(attributes);
    sorted.sort(Comparator.comparing(KeyValue::getKey));
    for (KeyValue kv : sorted) {
      if (skip.contains(kv.getKey())) {
        continue;
      }
      String name = labelName(kv.getKey());
      String value = AttributeValues.asString(kv.getValue());
      String existing = b.get(name);
      b.set(name, existing.isEmpty() ? value : existing + ";" + value);
    }
  }

  private static void identify(LabelsBuilder b, ResourceLabels res) {
    if (res.job != null) {
      b.set("job", res.job);
    }
    if (res.instance != null) {
      b.set("instance", res.instance);
    }
  }
}
