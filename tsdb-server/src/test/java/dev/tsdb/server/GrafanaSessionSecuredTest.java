package dev.tsdb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tsdb.server.web.TestPkiAccess;
import dev.tsdb.testkit.process.HttpEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Grafana's session ({@link GrafanaSessionTest}, every request of it) against the server behind
 * a web config file with TLS, a required and verified client certificate and basic auth, as a
 * Grafana data source configured with "Basic auth", "TLS Client Auth" and "With CA Cert" talks
 * to it: all answered with the credentials; 401 without them or with wrong ones; no TLS
 * handshake without a client certificate.
 */
class GrafanaSessionSecuredTest extends GrafanaSessionTest {
  private static final String USER = "grafana";
  private static final String PASSWORD = "s3cret";
  /** One request per resource the session uses (method, path). */
  private static final List<String[]> RESOURCES = List.of(
      new String[] {"POST", "/api/v1/query"}, new String[] {"POST", "/api/v1/query_range"},
      new String[] {"GET", "/api/v1/status/buildinfo"}, new String[] {"GET", "/api/v1/rules"},
      new String[] {"GET", "/api/v1/query_exemplars"}, new String[] {"GET", "/api/v1/labels"},
      new String[] {"GET", "/api/v1/label/__name__/values"},
      new String[] {"GET", "/api/v1/series?match[]=up"}, new String[] {"GET", "/api/v1/metadata"});

  static TestPkiAccess.Material pki;

  /** The same session data, behind the web config. */
  @Override
  @BeforeAll
  void start() throws Exception {
    Path pkiDir = Files.createDirectories(dir.resolve("pki"));
    pki = TestPkiAccess.write(pkiDir);
    Path web = pkiDir.resolve("web.yml");
    Files.writeString(web, "tls_server_config:\n"
        + "  cert_file: server.crt\n  key_file: server.key\n"
        + "  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: ca.crt\n"
        + "basic_auth_users:\n  " + USER + ": '"
        + TestPkiAccess.bcrypt(PASSWORD) + "'\n");
    ts = TestServer.secured(dir.resolve("srv"), client(true),
        HttpEndpoint.basicAuth(USER, PASSWORD), "--web.config.file=" + web);
    seed();
  }

  /** Trusts the test CA; presents the client certificate when {@code withCertificate}. */
  static HttpClient client(boolean withCertificate) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(TestPkiAccess.clientContext(pki, withCertificate)).build();
  }

  private static HttpResponse<String> send(HttpClient client, String[] resource,
      String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ts.base + resource[1]))
        .header("User-Agent", "Grafana/12.0.0").header("X-Grafana-Org-Id", "1");
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (resource[0].equals("POST")) {
      b.header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString(form("query", "1+1", "time", "4")));
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void refusedWithoutOrWithWrongCredentials() throws Exception {
    HttpClient withCert = client(true);
    for (String[] resource : RESOURCES) {
      String what = resource[0] + " " + resource[1];
      HttpResponse<String> none = send(withCert, resource, null);
      assertEquals(401, none.statusCode(), what);
      assertEquals("Basic", none.headers().firstValue("WWW-Authenticate").orElse(""), what);
      assertEquals(401, send(withCert, resource,
          HttpEndpoint.basicAuth(USER, "wrong")).statusCode(), what);
      assertEquals(401, send(withCert, resource,
          HttpEndpoint.basicAuth("admin", PASSWORD)).statusCode(), what);
    }
  }

  @Test
  void noHandshakeWithoutClientCertificate() throws Exception {
    HttpClient noCert = client(false);
    for (String[] resource : RESOURCES) {
      assertThrows(IOException.class, () -> send(noCert, resource,
          HttpEndpoint.basicAuth(USER, PASSWORD)), resource[1]);
    }
  }
}
