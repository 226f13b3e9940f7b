package dev.tsdb.promql.parser;

import dev.tsdb.promql.ErrorType;
import dev.tsdb.promql.PromQLException;
import java.util.List;

/**
 * A query that does not parse or type-check. Like Prometheus, the message is that of the first
 * error ({@code 1:5: parse error: unexpected end of input inside braces}); all errors are kept.
 */
public class ParseException extends PromQLException {
  private final String query;
  private final List<ParseError> errors;

  public ParseException(String query, List<ParseError> errors) {
    super(ErrorType.BAD_DATA, errors.get(0).format(query, 0));
    this.query = query;
    this.errors = List.copyOf(errors);
  }

  public String query() {
    return query;
  }

  /** All errors, in the order Prometheus would list them; the message shows the first. */
  public List<ParseError> errors() {
    return errors;
  }

  /** The message with line numbers shifted, as promtool and the test runner report them. */
  public String messageWithLineOffset(int lineOffset) {
    return errors.get(0).format(query, lineOffset);
  }
}
