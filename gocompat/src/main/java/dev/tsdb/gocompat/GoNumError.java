package dev.tsdb.gocompat;

/**
 * Go's {@code *strconv.NumError}: which strconv function failed, on what input, and whether the
 * text was malformed or its value out of range. The message is Go's Error() text, e.g.
 * {@code strconv.ParseFloat: parsing "x": invalid syntax} or
 * {@code strconv.Atoi: parsing "99999999999999999999": value out of range}.
 *
 * <p>A NumberFormatException (so an IllegalArgumentException), so callers that only care that
 * parsing failed catch it as such.
 */
public final class GoNumError extends NumberFormatException {
  private static final long serialVersionUID = 1L;

  private final String function;
  private final String input;
  private final boolean outOfRange;

  private GoNumError(String function, String input, boolean outOfRange) {
    super("strconv." + function + ": parsing " + GoStrings.quote(input) + ": "
        + (outOfRange ? "value out of range" : "invalid syntax"));
    this.function = function;
    this.input = input;
    this.outOfRange = outOfRange;
  }

  static GoNumError syntax(String function, String input) {
    return new GoNumError(function, input, false);
  }

  static GoNumError range(String function, String input) {
    return new GoNumError(function, input, true);
  }

  /** The strconv function's name as Go reports it: ParseFloat, ParseInt, ParseUint, Atoi. */
  public String function() {
    return function;
  }

  /** The text that failed to parse. */
  public String input() {
    return input;
  }

  /** True for ErrRange (well-formed but too big), false for ErrSyntax. */
  public boolean outOfRange() {
    return outOfRange;
  }
}
