package dev.tsdb.rules.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code rule_files} handling: Prometheus allows a wildcard only in the last path element
 * ({@code ^[^*]*(\*[^/]*)?$}) and expands each pattern with Go's filepath.Glob (matches sorted,
 * patterns in order; a pattern without matches contributes nothing).
 */
public final class RuleFiles {
  private RuleFiles() {}

  private static final Pattern VALID = Pattern.compile("^[^*]*(\\*[^/]*)?$");

  public static void validate(String pattern) throws ConfigException {
    if (!VALID.matcher(pattern).matches()) {
      throw new ConfigException("invalid rule file path \"" + pattern + "\"");
    }
  }

  public static List<String> expand(List<String> patterns) throws ConfigException {
    List<String> out = new ArrayList<>();
    for (String pat : patterns) {
      out.addAll(glob(pat));
    }
    return out;
  }

  private static boolean hasMeta(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0
        || s.indexOf('\\') >= 0;
  }

  /** Go's filepath.Glob for patterns whose directory part has no wildcards. */
  static List<String> glob(String pattern) throws ConfigException {
    Path p = Path.of(pattern);
    if (!hasMeta(pattern)) {
      return Files.exists(p) ? List.of(pattern) : List.of();
    }
    Path parent = p.getParent();
    String dirPart = parent == null ? "." : parent.toString();
    String name = p.getFileName().toString();
    Pattern re;
    try {
      re = Pattern.compile(globToRegex(name));
    } catch (RuntimeException e) {
      throw new ConfigException("error retrieving rule files for " + pattern
          + ": syntax error in pattern");
    }
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(dirPart))) {
      for (Path f : ds) {
        String fn = f.getFileName().toString();
        if (re.matcher(fn).matches()) {
          names.add(fn);
        }
      }
    } catch (IOException e) {
      return List.of(); // Go ignores I/O errors while globbing
    }
    names.sort(null);
    List<String> out = new ArrayList<>();
    for (String fn : names) {
      out.add(parent == null ? fn : parent.resolve(fn).toString());
    }
    return out;
  }

  /** Go's filepath.Match syntax to a Java regex: *, ?, [ranges], [^negated], \escapes. */
  static String globToRegex(String glob) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> sb.append("[^/]*");
        case '?' -> sb.append("[^/]");
        case '\\' -> {
          if (++i >= glob.length()) {
            throw new IllegalArgumentException("bad pattern");
          }
          sb.append(Pattern.quote(String.valueOf(glob.charAt(i))));
        }
        case '[' -> {
          int end = glob.indexOf(']', i + 1);
          if (end < 0) {
            throw new IllegalArgumentException("bad pattern");
          }
          String cls = glob.substring(i + 1, end);
          sb.append('[');
          if (cls.startsWith("^")) {
            sb.append('^');
            cls = cls.substring(1);
          }
          sb.append(cls.replace("[", "\\[").replace("&", "\\&"));
          sb.append(']');
          i = end;
        }
        default -> sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return sb.toString();
  }
}
