package dev.tsdb.api.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The web UI's files, read from the class path: the UI's own under {@code dev/tsdb/api/ui/}
 * and uPlot from its WebJar. Only plain file names are looked up (no directories, no dot files),
 * so a request can never reach another resource. Files are cached once read: they cannot change
 * inside a running jar.
 */
public final class StaticAssets {
  /** A file's bytes and the Content-Type to serve them with. */
  public record Asset(byte[] bytes, String contentType) {}

  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png");

  private final ClassLoader loader = StaticAssets.class.getClassLoader();
  private final String uplotDir = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
  private final Map<String, Optional<Asset>> cache = new ConcurrentHashMap<>();

  /** One of the UI's own files, e.g. {@code app.js}. */
  public Optional<Asset> own(String name) {
    return load("dev/tsdb/api/ui/", name);
  }

  /** One of uPlot's distributed files, e.g. {@code uPlot.iife.min.js}. */
  public Optional<Asset> uplot(String name) {
    return load(uplotDir, name);
  }

  private Optional<Asset> load(String dir, String name) {
    if (!PLAIN_NAME.matcher(name).matches() || type(name) == null) {
      return Optional.empty();
    }
    return cache.computeIfAbsent(dir + name, path -> {
      try (InputStream in = loader.getResourceAsStream(path)) {
        return in == null ? Optional.empty()
            : Optional.of(new Asset(in.readAllBytes(), type(name)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static String type(String name) {
    return TYPES.get(name.substring(name.lastIndexOf('.') + 1));
  }

  /** The WebJar's version, from its Maven metadata, so that the pom alone names it. */
  static String uplotVersion() {
    Properties p = new Properties();
    try (InputStream in = StaticAssets.class.getClassLoader()
        .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
      if (in == null) {
        throw new IllegalStateException("the uplot WebJar is not on the class path");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }
}
