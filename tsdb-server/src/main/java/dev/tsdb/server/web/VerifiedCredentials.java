package dev.tsdb.server.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the outcome of recent bcrypt comparisons, as exporter-toolkit does, so a client
 * sending the same credentials with every request costs one bcrypt run (tens of milliseconds at
 * cost 10), not one per request. Comparisons run one at a time, so a burst of new credentials
 * takes one core, not all. Entries are keyed by a SHA-256 of user, hash and password, so no
 * password is kept in memory; the hash is part of the key, so a changed file is honoured.
 */
final class VerifiedCredentials {
  private static final int CAPACITY = 100;
  private final Map<String, Boolean> outcomes = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > CAPACITY;
    }
  };
  private final Object bcryptTurn = new Object();

  /** Whether {@code password} matches {@code hash}, from the cache when seen recently. */
  boolean matches(String user, String hash, String password) {
    String key = key(user, hash, password);
    synchronized (outcomes) {
      Boolean known = outcomes.get(key);
      if (known != null) {
        return known;
      }
    }
    boolean ok;
    synchronized (bcryptTurn) {
      ok = BcryptHash.matches(hash, password);
    }
    synchronized (outcomes) {
      outcomes.put(key, ok);
    }
    return ok;
  }

  private static String key(String user, String hash, String password) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {user, hash, password}) {
        byte[] b = part.getBytes(StandardCharsets.UTF_8);
        d.update(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16),
            (byte) (b.length >>> 8), (byte) b.length});
        d.update(b);
      }
      return Base64.getEncoder().encodeToString(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
