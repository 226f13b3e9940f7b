package dev.tsdb.rules.notifier.discovery;

import java.io.IOException;
import java.util.List;

/** The DNS look-ups dns_sd_configs needs; tests give their own answers. */
public interface DnsResolver {
  /** A service record: target host (as returned, maybe with the final dot) and port. */
  record Srv(String target, int port) {}

  List<Srv> srv(String name) throws IOException;

  /** Host names of MX (type "MX") or NS (type "NS") records. */
  List<String> hosts(String name, String type) throws IOException;

  /** Addresses (as text) of type A (IPv4) or AAAA (IPv6). */
  List<String> addresses(String name, boolean ipv6) throws IOException;
}
