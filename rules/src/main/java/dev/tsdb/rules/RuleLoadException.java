package dev.tsdb.rules;

import dev.tsdb.rules.rulefmt.RuleFileError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Rule files failed to load; Prometheus's "error loading rules, previous rule set restored".
 * {@link #errors()} holds each problem (file, position, message).
 */
public class RuleLoadException extends Exception {
  private final List<RuleFileError> errors;

  public RuleLoadException(List<RuleFileError> errors) {
    super("error loading rules, previous rule set restored: " + errors.stream()
        .map(RuleFileError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public List<RuleFileError> errors() {
    return errors;
  }
}
