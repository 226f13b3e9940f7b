package dev.tsdb.rules.rulefmt;

import java.util.List;
import java.util.stream.Collectors;

/** A rule file that failed to load or validate; carries every problem found. */
public class RuleFileException extends Exception {
  private final List<RuleFileError> errors;

  public RuleFileException(List<RuleFileError> errors) {
    super(errors.stream().map(RuleFileError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<RuleFileError> errors() {
    return errors;
  }
}
