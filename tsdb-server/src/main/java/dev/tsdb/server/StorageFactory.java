package dev.tsdb.server;

import dev.tsdb.storage.Storage;
import dev.tsdb.storage.memory.MemStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one place the server chooses its storage. For now this is the in-memory reference storage
 * (nothing survives a restart); the real head + WAL + blocks database replaces it here.
 */
public final class StorageFactory {
  /** What the storage needs to know; retention 0 means none. */
  public record Options(Path dataDir, long retentionMs, long retentionBytes) {}

  private StorageFactory() {}

  /**
   * Opens the storage. May take long (WAL replay) and is called after the HTTP listener is up,
   * while /-/ready answers 503.
   */
  public static Storage open(Options options) throws IOException {
    Files.createDirectories(options.dataDir());
    return new MemStorage();
  }

  /** A short name of the storage implementation, for the start-up log. */
  public static String kind() {
    return "memory (not persistent yet)";
  }
}
