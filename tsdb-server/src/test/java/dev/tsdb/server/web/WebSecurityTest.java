package dev.tsdb.server.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebSecurityTest {
  /** exporter-toolkit's hash of "fakepassword", made by Go's bcrypt. */
  private static final String GO_HASH =
      "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";

  @TempDir
  Path dir;

  @Test
  void bcryptComparesGoHashes() {
    assertTrue(BcryptHash.matches(GO_HASH, "fakepassword"));
    assertFalse(BcryptHash.matches(GO_HASH, "fakepassword2"));
    assertTrue(BcryptHash.matches(GO_HASH.replace("$2y$", "$2a$"), "fakepassword"));
    assertTrue(BcryptHash.matches(GO_HASH.replace("$2y$", "$2x$"), "fakepassword"));
    assertFalse(BcryptHash.matches("$2y$10$!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "x"));
  }

  @Test
  void passwordsBeyond72BytesCompareOnTheirPrefix() {
    String p72 = "a".repeat(72);
    String hash = OpenBSDBCrypt.generate("2y", p72.toCharArray(), new byte[16], 4);
    assertTrue(BcryptHash.matches(hash, p72 + "more"));
  }

  @Test
  void verifiedCredentialsAreCached() {
    VerifiedCredentials c = new VerifiedCredentials();
    long t0 = System.nanoTime();
    assertTrue(c.matches("u", GO_HASH, "fakepassword"));
    long first = System.nanoTime() - t0;
    t0 = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      assertTrue(c.matches("u", GO_HASH, "fakepassword"));
      assertFalse(c.matches("u", GO_HASH, "wrong"));
    }
    long hundred = System.nanoTime() - t0;
    assertTrue(hundred < first * 10, "cached: " + hundred + "ns for 200 vs " + first + "ns");
  }

  @Test
  void basicCredentialsAsGoReadsThem() {
    String enc = Base64.getEncoder().encodeToString("al:ice:p:w".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(new String[] {"al", "ice:p:w"},
        WebSecurityHandler.basicCredentials("Basic " + enc));
    assertArrayEquals(new String[] {"al", "ice:p:w"},
        WebSecurityHandler.basicCredentials("bAsIc " + enc));
    assertNull(WebSecurityHandler.basicCredentials("Bearer " + enc));
    assertNull(WebSecurityHandler.basicCredentials("Basic " + Base64.getEncoder()
        .encodeToString("nocolon".getBytes(StandardCharsets.UTF_8))));
    assertNull(WebSecurityHandler.basicCredentials("Basic !!!"));
    assertNull(WebSecurityHandler.basicCredentials(null));
  }

  @Test
  void sanIpAddressesInGoForm() {
    assertEquals("::1", ClientCertTrust.ipText("0:0:0:0:0:0:0:1"));
    assertEquals("2001:db8::1", ClientCertTrust.ipText("2001:db8:0:0:0:0:0:1"));
    assertEquals("2001:db8:0:1:1:1:1:1", ClientCertTrust.ipText("2001:db8:0:1:1:1:1:1"));
    assertEquals("10.0.0.1", ClientCertTrust.ipText("10.0.0.1"));
  }

  @Test
  void fileChangesApplyAtTheNextReading() throws Exception {
    Path f = dir.resolve("web.yml");
    Files.writeString(f, "basic_auth_users: {a: '" + GO_HASH + "'}\n");
    WebConfigFile file = WebConfigFile.at(f);
    assertEquals(1, file.validate().users().size());
    Files.writeString(f, "basic_auth_users: {a: '" + GO_HASH + "', b: '" + GO_HASH + "'}\n");
    assertEquals(2, file.current().users().size());
    Files.writeString(f, "nope: 1\n");
    assertThrows(WebConfigException.class, file::current);
    Files.delete(f);
    WebConfigException e = assertThrows(WebConfigException.class, file::current);
    assertTrue(e.getMessage().contains("no such file or directory"), e.getMessage());
  }

  @Test
  void rateLimitRefillsOneTokenPerInterval() {
    RequestRateLimiter l = new RequestRateLimiter(new WebConfig.RateLimit(2, 1_000), 0);
    assertTrue(l.allow(0));
    assertTrue(l.allow(0));
    assertFalse(l.allow(0));
    assertTrue(l.allow(1_000));
    assertFalse(l.allow(1_500));
  }
}
