package dev.tsdb.blocks;

import java.security.SecureRandom;

/**
 * A ULID (github.com/oklog/ulid, as Prometheus names blocks): 48 bits of Unix milliseconds then
 * 80 random bits, written as 26 Crockford base32 characters, so names sort by creation time.
 * {@link #generate()} is monotonic within a process: ids made in the same millisecond increment
 * the random part instead of drawing a new one.
 */
public final class Ulid implements Comparable<Ulid> {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final byte[] DECODE = new byte[128];
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Object LOCK = new Object();
  private static long lastTime = -1;
  private static long lastHi; // top 16 random bits
  private static long lastLo; // low 64 random bits

  static {
    java.util.Arrays.fill(DECODE, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      DECODE[ALPHABET[i]] = (byte) i;
      DECODE[Character.toLowerCase(ALPHABET[i])] = (byte) i;
    }
  }

  private final long msb; // 48-bit time << 16 | 16 random bits
  private final long lsb; // 64 random bits

  private Ulid(long msb, long lsb) {
    this.msb = msb;
    this.lsb = lsb;
  }

  /** A new ULID for the current time, monotonic within this process. */
  public static Ulid generate() {
    return generate(System.currentTimeMillis());
  }

  /** A new ULID for {@code timeMs}, monotonic with earlier calls for the same millisecond. */
  public static Ulid generate(long timeMs) {
    if (timeMs < 0 || timeMs >= (1L << 48)) {
      throw new IllegalArgumentException("time out of range: " + timeMs);
    }
    synchronized (LOCK) {
      if (timeMs == lastTime) {
        lastLo++;
        if (lastLo == 0) {
          lastHi = (lastHi + 1) & 0xffff;
          if (lastHi == 0) {
            throw new IllegalStateException("ULID randomness overflow within one millisecond");
          }
        }
      } else {
        lastTime = timeMs;
        lastHi = RANDOM.nextInt() & 0x7fff; // leave headroom for increments
        lastLo = RANDOM.nextLong();
      }
      return new Ulid((timeMs << 16) | lastHi, lastLo);
    }
  }

  public static Ulid parse(String s) {
    if (s.length() != 26) {
      throw new IllegalArgumentException("ULID must have 26 characters: " + s);
    }
    long hi = 0; // top 2 bits + next 62 via 128-bit assembly
    long lo = 0;
    for (int i = 0; i < 26; i++) {
      char c = s.charAt(i);
      int v = c < 128 ? DECODE[c] : -1;
      if (v < 0 || (i == 0 && v > 7)) {
        throw new IllegalArgumentException("invalid ULID: " + s);
      }
      // shift the 128-bit (hi, lo) left by 5 and add v
      hi = (hi << 5) | (lo >>> 59);
      lo = (lo << 5) | v;
    }
    return new Ulid(hi, lo);
  }

  /** Whether {@code s} is a well-formed ULID. */
  public static boolean isValid(String s) {
    try {
      parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Milliseconds since the epoch encoded in the id. */
  public long timestamp() {
    return msb >>> 16;
  }

  @Override
  public String toString() {
    char[] out = new char[26];
    long hi = msb;
    long lo = lsb;
    for (int i = 25; i >= 0; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo = (lo >>> 5) | (hi << 59);
      hi >>>= 5;
    }
    return new String(out);
  }

  @Override
  public int compareTo(Ulid o) {
    int c = Long.compareUnsigned(msb, o.msb);
    return c != 0 ? c : Long.compareUnsigned(lsb, o.lsb);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ulid u && u.msb == msb && u.lsb == lsb;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(msb) * 31 + Long.hashCode(lsb);
  }
}
