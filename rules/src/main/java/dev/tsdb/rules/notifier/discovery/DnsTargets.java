package dev.tsdb.rules.notifier.discovery;

import dev.tsdb.rules.config.DnsSdConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code dns_sd_configs}: one target per record of each name. SRV targets use the record's host
 * and port, the others the configured port; host names lose their final dot in
 * {@code __address__} and keep it in the {@code __meta_dns_*} labels, as in Prometheus. A name
 * whose look-up fails keeps its previous targets.
 */
public final class DnsTargets implements TargetSource {
  private static final System.Logger LOG = System.getLogger(DnsTargets.class.getName());

  private final DnsSdConfig cfg;
  private final DnsResolver resolver;
  private final Map<String, List<Map<String, String>>> byName = new HashMap<>();

  public DnsTargets(DnsSdConfig cfg, DnsResolver resolver) {
    this.cfg = cfg;
    this.resolver = resolver;
  }

  @Override
  public long refreshIntervalMs() {
    return cfg.refreshIntervalMs();
  }

  @Override
  public synchronized List<Map<String, String>> refresh() {
    List<Map<String, String>> out = new ArrayList<>();
    for (String name : cfg.names()) {
      try {
        byName.put(name, lookup(name));
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, "Error refreshing DNS targets " + name + ": "
            + e.getMessage());
      }
      out.addAll(byName.getOrDefault(name, List.of()));
    }
    return out;
  }

  private List<Map<String, String>> lookup(String name) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    String type = cfg.type().toUpperCase(Locale.ROOT);
    switch (type) {
      case "SRV" -> {
        for (DnsResolver.Srv r : resolver.srv(name)) {
          Map<String, String> t = target(name, hostPort(trimDot(r.target()), r.port()));
          t.put("__meta_dns_srv_record_target", r.target());
          t.put("__meta_dns_srv_record_port", Integer.toString(r.port()));
          out.add(t);
        }
      }
      case "MX", "NS" -> {
        for (String host : resolver.hosts(name, type)) {
          Map<String, String> t = target(name, hostPort(trimDot(host), cfg.port()));
          t.put(type.equals("MX") ? "__meta_dns_mx_record_target" : "__meta_dns_ns_record_target",
              host);
          out.add(t);
        }
      }
      default -> {
        for (String ip : resolver.addresses(name, type.equals("AAAA"))) {
          out.add(target(name, hostPort(ip, cfg.port())));
        }
      }
    }
    return out;
  }

  private static Map<String, String> target(String name, String address) {
    Map<String, String> t = new LinkedHashMap<>();
    t.put("__address__", address);
    t.put("__meta_dns_name", name);
    t.put("__meta_dns_srv_record_target", "");
    t.put("__meta_dns_srv_record_port", "");
    t.put("__meta_dns_mx_record_target", "");
    t.put("__meta_dns_ns_record_target", "");
    return t;
  }

  private static String trimDot(String host) {
    String h = host;
    while (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    return h;
  }

  /** net.JoinHostPort: IPv6 addresses in brackets. */
  static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
