package dev.tsdb.server.forward;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Persists each queue's sent-up-to WAL position in {@code <data>/remote_write/<key>.position}
 * ("segment offset"), so a restart resumes where the receiver's acknowledgements ended. The key
 * is derived from the queue's name (or URL without a name), so changing other settings of a
 * queue keeps its position. Written to a temporary file and renamed: a crash leaves the old or
 * the new position, never a torn one.
 */
final class PositionStore {
  static final String DIR = "remote_write";

  private final Path dir;

  PositionStore(Path dataDir) {
    this.dir = dataDir.resolve(DIR);
  }

  /** A file name for a queue identity: readable prefix plus a hash that keeps it unique. */
  static String key(String identity) {
    String safe = identity.replaceAll("[^A-Za-z0-9_.-]", "_");
    if (safe.length() > 40) {
      safe = safe.substring(0, 40);
    }
    return safe + "-" + hash(identity).substring(0, 12);
  }

  static String hash(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  Optional<WalPosition> load(String key) throws IOException {
    Path p = dir.resolve(key + ".position");
    String text;
    try {
      text = Files.readString(p, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String[] parts = text.split("\\s+");
    try {
      return Optional.of(new WalPosition(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
    } catch (RuntimeException e) {
      throw new IOException("unreadable remote-write position in " + p + ": " + text, e);
    }
  }

  void save(String key, WalPosition pos) throws IOException {
    Files.createDirectories(dir);
    Path p = dir.resolve(key + ".position");
    Path tmp = dir.resolve(key + ".position.tmp");
    Files.writeString(tmp, pos.segment() + " " + pos.offset() + "\n", StandardCharsets.UTF_8);
    try {
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
