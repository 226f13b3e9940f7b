package dev.tsdb.rules.rulefmt;

/**
 * One problem found in a rule file, printed as promtool prints it: {@code FILE: MESSAGE} where
 * MESSAGE starts with {@code LINE:COL:} when the problem has a position (e.g. {@code rules.yml:
 * 4:17: group "g", rule 1, "x": invalid recording rule name: x}).
 *
 * @param line 1-based line of the primary node, 0 when unknown
 * @param column 1-based column of the primary node, 0 when unknown
 * @param message the message after "FILE: ", including any position prefix
 */
public record RuleFileError(String file, int line, int column, String message) {
  @Override
  public String toString() {
    return file + ": " + message;
  }
}
