package dev.tsdb.rules.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tsdb.rules.config.OAuth2Config;
import dev.tsdb.rules.config.TlsConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client_credentials grant against a token endpoint on loopback. */
class OAuth2TokensTest {
  @TempDir Path dir;
  private HttpServer server;
  /** Each token request: its Authorization header ("" without) and its form. */
  private final List<Map<String, String>> requests =
      Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger issued = new AtomicInteger();
  private volatile boolean basicRefused;
  private volatile String answer = "{\"access_token\":\"t%d\",\"token_type\":\"bearer\","
      + "\"expires_in\":60}";
  private final AtomicLong now = new AtomicLong(1_000_000);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void token(HttpExchange ex) throws IOException {
    try (ex) {
      Map<String, String> form = new LinkedHashMap<>();
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      for (String kv : body.split("&")) {
        int eq = kv.indexOf('=');
        form.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      form.put("(authorization)", auth == null ? "" : auth);
      requests.add(form);
      if (basicRefused && auth != null) {
        ex.sendResponseHeaders(401, -1);
        return;
      }
      byte[] out = String.format(answer, issued.incrementAndGet())
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      ex.getResponseBody().write(out);
    }
  }

  private OAuth2Config config(String secret, String secretFile) {
    return new OAuth2Config("my id", secret, secretFile, List.of("read", "write"),
        "http://127.0.0.1:" + server.getAddress().getPort() + "/token", Map.of("audience", "rx"),
        TlsConfig.NONE, null);
  }

  @Test
  void fetchesOnceAndRefreshesBeforeExpiry() throws Exception {
    OAuth2Tokens t = new OAuth2Tokens(config("s:cret", null), 5_000, now::get);
    assertEquals("Bearer t1", t.authorization());
    assertEquals("Bearer t1", t.authorization());
    assertEquals(1, requests.size());
    Map<String, String> form = requests.get(0);
    assertEquals("client_credentials", form.get("grant_type"));
    assertEquals("read write", form.get("scope"));
    assertEquals("rx", form.get("audience"));
    // id and secret form-encoded inside the Basic credentials, as RFC 6749 2.3.1 asks
    assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString(
        "my+id:s%3Acret".getBytes(StandardCharsets.UTF_8)), form.get("(authorization)"));
    now.addAndGet(49_000); // 11s left: still valid
    assertEquals("Bearer t1", t.authorization());
    now.addAndGet(2_000); // 9s left: within the 10s margin
    assertEquals("Bearer t2", t.authorization());
    assertEquals(2, requests.size());
  }

  @Test
  void fallsBackToCredentialsInTheFormAndKeepsThatWay() throws Exception {
    basicRefused = true;
    answer = "{\"access_token\":\"t%d\",\"expires_in\":1}";
    OAuth2Tokens t = new OAuth2Tokens(config("sec", null), 5_000, now::get);
    assertEquals("Bearer t1", t.authorization());
    assertEquals(2, requests.size());
    assertEquals("my id", requests.get(1).get("client_id"));
    assertEquals("sec", requests.get(1).get("client_secret"));
    assertEquals("Bearer t2", t.authorization()); // expired at once (1s < 10s margin)
    assertEquals(3, requests.size(), "the form style is remembered");
  }

  @Test
  void secretFileChangeFetchesANewToken() throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, "one\n");
    answer = "{\"access_token\":\"t%d\"}"; // no expiry: kept until the secret changes
    OAuth2Tokens t = new OAuth2Tokens(config("", f.toString()), 5_000, now::get);
    assertEquals("Bearer t1", t.authorization());
    now.addAndGet(86_400_000);
    assertEquals("Bearer t1", t.authorization());
    Files.writeString(f, "two\n");
    assertEquals("Bearer t2", t.authorization());
    assertTrue(requests.get(1).get("(authorization)").startsWith("Basic "));
  }

  @Test
  void refusedRequestIsAnError() throws Exception {
    basicRefused = true;
    OAuth2Config c = config("sec", null);
    OAuth2Tokens t = new OAuth2Tokens(new OAuth2Config(c.clientId(), c.clientSecret(), null,
        List.of(), c.tokenUrl().replace("/token", "/nothing"), Map.of(), TlsConfig.NONE, null),
        5_000, now::get);
    IOException e = assertThrows(IOException.class, t::authorization);
    assertTrue(e.getMessage().startsWith("oauth2: cannot fetch token: 404"), e.getMessage());
  }
}
