package dev.tsdb.rules.notifier.discovery;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.InitialDirContext;

/**
 * The JDK's resolvers: addresses through {@link InetAddress} (so /etc/hosts counts, as with Go's
 * resolver), SRV, MX and NS records through the JNDI DNS provider and the system's name servers.
 */
public final class JdkDnsResolver implements DnsResolver {
  @Override
  public List<Srv> srv(String name) throws IOException {
    List<Srv> out = new ArrayList<>();
    for (String rr : records(name, "SRV")) {
      // priority weight port target
      String[] f = rr.trim().split("\\s+");
      if (f.length == 4) {
        out.add(new Srv(f[3], Integer.parseInt(f[2])));
      }
    }
    return out;
  }

  @Override
  public List<String> hosts(String name, String type) throws IOException {
    List<String> out = new ArrayList<>();
    for (String rr : records(name, type)) {
      String[] f = rr.trim().split("\\s+");
      out.add(f[f.length - 1]); // MX: "preference host"; NS: "host"
    }
    return out;
  }

  @Override
  public List<String> addresses(String name, boolean ipv6) throws IOException {
    List<String> out = new ArrayList<>();
    try {
      for (InetAddress a : InetAddress.getAllByName(name)) {
        if (ipv6 ? a instanceof Inet6Address : a instanceof Inet4Address) {
          out.add(a.getHostAddress().replaceFirst("%.*$", ""));
        }
      }
    } catch (UnknownHostException e) {
      throw new IOException("lookup " + name + ": no such host", e);
    }
    return out;
  }

  private static List<String> records(String name, String type) throws IOException {
    Hashtable<String, String> env = new Hashtable<>();
    env.put("java.naming.factory.initial", "com.sun.jndi.dns.DnsContextFactory");
    List<String> out = new ArrayList<>();
    try {
      InitialDirContext ctx = new InitialDirContext(env);
      try {
        Attribute attr = ctx.getAttributes(name, new String[] {type}).get(type);
        if (attr != null) {
          NamingEnumeration<?> e = attr.getAll();
          while (e.hasMore()) {
            out.add(String.valueOf(e.next()));
          }
        }
      } finally {
        ctx.close();
      }
    } catch (NamingException e) {
      throw new IOException("lookup " + name + " " + type + ": " + e.getMessage(), e);
    }
    return out;
  }
}
