package dev.tsdb.server.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt password hashes of basic_auth_users: the start-up check Go's bcrypt.Cost makes (which
 * decides which files are valid), and the password comparison, done by BouncyCastle.
 */
final class BcryptHash {
  /** Go's minimum length of a bcrypt hash: "$2a$10$" and 53 characters of salt and hash, less one. */
  private static final int MIN_LENGTH = 59;
  /** bcrypt reads at most this many bytes of a password; longer ones compare on this prefix. */
  private static final int MAX_PASSWORD_BYTES = 72;

  private BcryptHash() {}

  /**
   * Accepts what Go's bcrypt.Cost accepts: long enough, "$", a major version up to 2, an
   * optional minor letter, "$", and a two-digit cost from 4 to 31. The rest is not looked at.
   */
  static void checkCost(String hash) throws WebConfigException {
    if (hash.length() < MIN_LENGTH) {
      throw new WebConfigException(
          "crypto/bcrypt: hashedSecret too short to be a bcrypted password");
    }
    if (hash.charAt(0) != '$') {
      throw new WebConfigException("crypto/bcrypt: bcrypt hashes must start with '$', but"
          + " hashedSecret started with '" + hash.charAt(0) + "'");
    }
    if (hash.charAt(1) > '2') {
      throw new WebConfigException("crypto/bcrypt: bcrypt algorithm version '" + hash.charAt(1)
          + "' requested is newer than current version '2'");
    }
    int costAt = hash.charAt(2) == '$' ? 3 : 4;
    String digits = hash.substring(costAt, costAt + 2);
    int cost;
    try {
      cost = Integer.parseInt(digits);
    } catch (NumberFormatException e) {
      throw new WebConfigException("strconv.Atoi: parsing \"" + digits + "\": invalid syntax");
    }
    if (cost < 4 || cost > 31) {
      throw new WebConfigException("crypto/bcrypt: cost " + cost
          + " is outside allowed inclusive range 4..31");
    }
  }

  /** Whether {@code password} matches {@code hash}; a hash BouncyCastle cannot read matches nothing. */
  static boolean matches(String hash, String password) {
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    if (pw.length > MAX_PASSWORD_BYTES) {
      pw = Arrays.copyOf(pw, MAX_PASSWORD_BYTES);
    }
    try {
      return OpenBSDBCrypt.checkPassword(normalizedVersion(hash), pw);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * BouncyCastle reads the 2a, 2b and 2y variants, which hash alike for passwords without
   * 8-bit bytes and identically in current implementations; Go compares any minor letter the
   * same way, so other letters are read as 2b.
   */
  private static String normalizedVersion(String hash) {
    if (hash.length() > 4 && hash.startsWith("$2") && hash.charAt(3) == '$'
        && "aby".indexOf(hash.charAt(2)) < 0) {
      return "$2b" + hash.substring(3);
    }
    return hash;
  }
}
