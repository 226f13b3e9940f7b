package dev.tsdb.server.web;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a whole file; a failure carries Go's os.ReadFile text, which the messages quote. */
final class GoFileRead {
  private GoFileRead() {}

  static byte[] read(String path) throws IOException {
    Path p = Path.of(path);
    if (Files.isDirectory(p)) {
      throw new IOException("read " + path + ": is a directory");
    }
    try {
      return Files.readAllBytes(p);
    } catch (NoSuchFileException e) {
      throw new IOException("open " + path + ": no such file or directory", e);
    } catch (AccessDeniedException e) {
      throw new IOException("open " + path + ": permission denied", e);
    }
  }
}
