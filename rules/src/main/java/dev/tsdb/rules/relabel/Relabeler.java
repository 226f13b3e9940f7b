package dev.tsdb.rules.relabel;

import dev.tsdb.gocompat.GoRegexMatch;
import dev.tsdb.index.labels.Labels;
import dev.tsdb.index.labels.LabelsBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Applies relabel configs in order with Prometheus's semantics (model/relabel): source label
 * values are joined with the separator and matched against the anchored regex; replace expands
 * {@code $1}/{@code ${name}} in target_label and replacement (an empty result deletes the
 * target); hashmod uses the last 8 bytes of the MD5 of the value, big-endian, modulo modulus;
 * labelmap/labeldrop/labelkeep match label names.
 */
public final class Relabeler {
  private Relabeler() {}

  /** The relabelled labels, or null when a keep/drop rule dropped the set. */
  public static Labels process(Labels labels, List<RelabelConfig> configs) {
    if (configs.isEmpty()) {
      return labels;
    }
    LabelsBuilder b = labels.toBuilder();
    for (RelabelConfig c : configs) {
      if (!relabel(c, b)) {
        return null;
      }
    }
    return b.build();
  }

  private static boolean relabel(RelabelConfig c, LabelsBuilder b) {
    String val;
    if (c.sourceLabels().size() == 1) {
      val = b.get(c.sourceLabels().get(0));
    } else {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < c.sourceLabels().size(); i++) {
        if (i > 0) {
          sb.append(c.separator());
        }
        sb.append(b.get(c.sourceLabels().get(i)));
      }
      val = sb.toString();
    }
    switch (c.action()) {
      case DROP -> {
        if (c.regex().matches(val)) {
          return false;
        }
      }
      case KEEP -> {
        if (!c.regex().matches(val)) {
          return false;
        }
      }
      case DROPEQUAL -> {
        if (b.get(c.targetLabel()).equals(val)) {
          return false;
        }
      }
      case KEEPEQUAL -> {
        if (!b.get(c.targetLabel()).equals(val)) {
          return false;
        }
      }
      case REPLACE -> replace(c, b, val);
      case LOWERCASE -> b.set(c.targetLabel(), val.toLowerCase(Locale.ROOT));
      case UPPERCASE -> b.set(c.targetLabel(), val.toUpperCase(Locale.ROOT));
      case HASHMOD -> b.set(c.targetLabel(), Long.toUnsignedString(
          Long.remainderUnsigned(md5Tail(val), c.modulus())));
      case LABELMAP -> {
        Labels snapshot = b.build();
        for (int i = 0; i < snapshot.size(); i++) {
          String name = snapshot.name(i);
          if (c.regex().matches(name)) {
            b.set(c.regex().replaceAll(name, c.replacement()), snapshot.value(i));
          }
        }
      }
      case LABELDROP, LABELKEEP -> {
        Labels snapshot = b.build();
        boolean drop = c.action() == RelabelAction.LABELDROP;
        for (int i = 0; i < snapshot.size(); i++) {
          if (c.regex().matches(snapshot.name(i)) == drop) {
            b.delete(snapshot.name(i));
          }
        }
      }
      default -> throw new IllegalStateException("relabel: unknown relabel action type");
    }
    return true;
  }

  private static void replace(RelabelConfig c, LabelsBuilder b, String val) {
    // Fast path: set a constant label when nothing is to be matched or expanded.
    if (val.isEmpty() && c.regexText().equals(RelabelConfig.DEFAULT_REGEX)
        && !c.targetLabel().contains("$") && !c.replacement().contains("$")) {
      b.set(c.targetLabel(), c.replacement());
      return;
    }
    GoRegexMatch m = c.regex().find(val);
    if (m == null) {
      return;
    }
    String target = m.expand(c.targetLabel());
    if (target.isEmpty()) {
      return; // not a valid label name
    }
    String res = m.expand(c.replacement());
    if (res.isEmpty()) {
      b.delete(target);
    } else {
      b.set(target, res);
    }
  }

  private static long md5Tail(String val) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(val.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d, 8, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
