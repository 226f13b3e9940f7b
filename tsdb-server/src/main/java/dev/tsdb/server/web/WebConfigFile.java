package dev.tsdb.server.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The --web.config.file, read again whenever a request or connection needs it (as
 * exporter-toolkit does, so edits apply without a restart); the YAML is parsed again only when
 * the file's bytes changed.
 */
public final class WebConfigFile {
  private final Path path;
  private volatile Reading last;

  private record Reading(byte[] bytes, WebConfig config) {}

  private WebConfigFile(Path path) {
    this.path = path;
  }

  public static WebConfigFile at(Path path) {
    return new WebConfigFile(path);
  }

  public Path path() {
    return path;
  }

  /**
   * Checks the file as `promtool check web-config` and the start-up of exporter-toolkit do: the
   * YAML, the headers, the bcrypt hashes, and the TLS settings with their certificate and key.
   */
  public WebConfig validate() throws WebConfigException {
    WebConfig c = current();
    ServerTls.of(c.tls());
    return c;
  }

  /** The file's configuration now; not the TLS material, which {@link ServerTls} reads. */
  public WebConfig current() throws WebConfigException {
    byte[] bytes;
    try {
      bytes = GoFileRead.read(path.toString());
    } catch (IOException e) {
      throw new WebConfigException(e.getMessage(), e);
    }
    Reading r = last;
    if (r != null && Arrays.equals(r.bytes(), bytes)) {
      return r.config();
    }
    Path dir = path.getParent(); // null: next to the working directory, as Go joins "."
    WebConfig c = WebConfigParser.parse(new String(bytes, StandardCharsets.UTF_8), dir);
    last = new Reading(bytes, c);
    return c;
  }

  /** The JDK's name of a curve_preferences entry (the file was validated, so it is known). */
  public static String namedGroup(String goName) {
    return TlsNames.namedGroup(goName);
  }
}
