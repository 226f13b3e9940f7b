package dev.tsdb.rules.notifier.discovery;

import dev.tsdb.rules.config.FileSdConfig;
import dev.tsdb.rules.yaml.YamlNode;
import dev.tsdb.rules.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code file_sd_configs}: target groups ({@code [{"targets": [...], "labels": {...}}]}) read
 * from JSON or YAML files matching the configured patterns. {@link #changed} compares the matching
 * files and their modification times, so an edit is picked up at the next check rather than at
 * the next refresh interval. A file that cannot be read or parsed keeps its previous targets, as
 * in Prometheus; each target gets {@code __meta_filepath}.
 */
public final class FileTargets implements TargetSource {
  private static final System.Logger LOG = System.getLogger(FileTargets.class.getName());

  private final FileSdConfig cfg;
  /** Per file: the targets it gave last time. */
  private final Map<Path, List<Map<String, String>>> byFile = new TreeMap<>();
  private Map<Path, Long> lastSeen = Map.of();

  public FileTargets(FileSdConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public long refreshIntervalMs() {
    return cfg.refreshIntervalMs();
  }

  @Override
  public synchronized boolean changed() {
    return !modTimes().equals(lastSeen);
  }

  @Override
  public synchronized List<Map<String, String>> refresh() {
    Map<Path, Long> now = modTimes();
    byFile.keySet().retainAll(now.keySet());
    for (Path f : now.keySet()) {
      try {
        byFile.put(f, read(f));
      } catch (IOException | YamlReader.YamlSyntaxException | IllegalArgumentException e) {
        LOG.log(System.Logger.Level.ERROR, "Error reading file " + f + ": " + e.getMessage());
      }
    }
    lastSeen = now;
    List<Map<String, String>> out = new ArrayList<>();
    byFile.values().forEach(out::addAll);
    return out;
  }

  /** The files the patterns match now, sorted, with their modification times. */
  private Map<Path, Long> modTimes() {
    Map<Path, Long> out = new TreeMap<>();
    for (String pattern : cfg.files()) {
      Path p = Path.of(pattern);
      Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
      String glob = p.getFileName().toString();
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
        for (Path f : ds) {
          if (Files.isRegularFile(f)) {
            out.put(f, Files.getLastModifiedTime(f).toMillis() * 31 + Files.size(f));
          }
        }
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "Error listing " + dir + ": " + e.getMessage());
      }
    }
    return out;
  }

  static List<Map<String, String>> read(Path f)
      throws IOException, YamlReader.YamlSyntaxException {
    YamlNode root = YamlReader.read(Files.readString(f, StandardCharsets.UTF_8));
    List<Map<String, String>> out = new ArrayList<>();
    if (!(root instanceof YamlNode.Sequence groups)) {
      if (root instanceof YamlNode.Scalar s && s.kind() == YamlNode.Scalar.Kind.NULL) {
        return out;
      }
      throw new IllegalArgumentException("expected a list of target groups");
    }
    for (YamlNode g : groups.items()) {
      if (!(g instanceof YamlNode.Mapping m)) {
        throw new IllegalArgumentException("nil target group item found");
      }
      List<String> targets = new ArrayList<>();
      Map<String, String> labels = new LinkedHashMap<>();
      for (YamlNode.Entry e : m.entries()) {
        switch (e.key().text()) {
          case "targets" -> targets = scalars(e.value());
          case "labels" -> {
            if (e.value() instanceof YamlNode.Mapping lm) {
              for (YamlNode.Entry l : lm.entries()) {
                labels.put(l.key().text(), text(l.value()));
              }
            }
          }
          default -> throw new IllegalArgumentException("unknown field " + e.key().text());
        }
      }
      for (String t : targets) {
        Map<String, String> target = new LinkedHashMap<>(labels);
        target.put("__meta_filepath", f.toString());
        target.put("__address__", t);
        out.add(target);
      }
    }
    return out;
  }

  private static List<String> scalars(YamlNode n) {
    List<String> out = new ArrayList<>();
    if (n instanceof YamlNode.Sequence s) {
      for (YamlNode i : s.items()) {
        out.add(text(i));
      }
    }
    return out;
  }

  private static String text(YamlNode n) {
    return n instanceof YamlNode.Scalar s && s.kind() != YamlNode.Scalar.Kind.NULL ? s.text() : "";
  }
}
