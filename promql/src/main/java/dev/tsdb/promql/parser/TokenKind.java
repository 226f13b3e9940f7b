package dev.tsdb.promql.parser;

/**
 * Lexical token kinds. Names match the token names of the ANTLR grammar (PromQLParser.g4) so
 * the token source can map them by name. The category decides how a token is described in
 * "unexpected ..." messages, the way upstream's Item.desc() does.
 */
enum TokenKind {
  // Punctuation and literals.
  EQL(Category.PUNCT), BLANK(Category.PUNCT), COLON(Category.PUNCT), COMMA(Category.PUNCT),
  DURATION(Category.LITERAL, "duration"), ERROR(Category.LITERAL, "error"),
  IDENTIFIER(Category.LITERAL, "identifier"), LEFT_BRACE(Category.PUNCT),
  LEFT_BRACKET(Category.PUNCT), LEFT_PAREN(Category.PUNCT), GROUP_PAREN(Category.PUNCT),
  OPEN_HIST(Category.PUNCT),
  METRIC_IDENTIFIER(Category.LITERAL, "metric identifier"), NUMBER(Category.LITERAL, "number"),
  RIGHT_BRACE(Category.PUNCT), RIGHT_BRACKET(Category.PUNCT), RIGHT_PAREN(Category.PUNCT),
  SPACE(Category.PUNCT), STRING(Category.LITERAL, "string"), TIMES(Category.PUNCT),
  // Operators.
  ADD(Category.OPERATOR), DIV(Category.OPERATOR), EQLC(Category.OPERATOR),
  EQL_REGEX(Category.OPERATOR), GTE(Category.OPERATOR), GTR(Category.OPERATOR),
  LAND(Category.OPERATOR), LOR(Category.OPERATOR), LSS(Category.OPERATOR), LTE(Category.OPERATOR),
  LUNLESS(Category.OPERATOR), MOD(Category.OPERATOR), MUL(Category.OPERATOR),
  NEQ(Category.OPERATOR), NEQ_REGEX(Category.OPERATOR), POW(Category.OPERATOR),
  SUB(Category.OPERATOR), AT(Category.OPERATOR), ATAN2(Category.OPERATOR),
  TRIM_UPPER(Category.OPERATOR), TRIM_LOWER(Category.OPERATOR),
  // Aggregators.
  AVG(Category.AGGREGATOR), BOTTOMK(Category.AGGREGATOR), COUNT(Category.AGGREGATOR),
  COUNT_VALUES(Category.AGGREGATOR), GROUP(Category.AGGREGATOR), MAX(Category.AGGREGATOR),
  MIN(Category.AGGREGATOR), QUANTILE(Category.AGGREGATOR), STDDEV(Category.AGGREGATOR),
  STDVAR(Category.AGGREGATOR), SUM(Category.AGGREGATOR), TOPK(Category.AGGREGATOR),
  LIMITK(Category.AGGREGATOR), LIMIT_RATIO(Category.AGGREGATOR),
  // Keywords.
  BOOL(Category.KEYWORD), BY(Category.KEYWORD), GROUP_LEFT(Category.KEYWORD),
  GROUP_RIGHT(Category.KEYWORD), IGNORING(Category.KEYWORD), OFFSET(Category.KEYWORD),
  SMOOTHED(Category.KEYWORD), ANCHORED(Category.KEYWORD), ON(Category.KEYWORD),
  WITHOUT(Category.KEYWORD), FILL(Category.KEYWORD), FILL_LEFT(Category.KEYWORD),
  FILL_RIGHT(Category.KEYWORD),
  // Preprocessors and duration-expression functions.
  START(Category.PUNCT), END(Category.PUNCT), STEP(Category.PUNCT), RANGE(Category.PUNCT),
  MIN_OF(Category.PUNCT), MAX_OF(Category.PUNCT),
  EOF(Category.LITERAL, "end of input");

  enum Category {
    PUNCT, LITERAL, OPERATOR, AGGREGATOR, KEYWORD
  }

  final Category category;
  final String description;

  TokenKind(Category category) {
    this(category, null);
  }

  TokenKind(Category category, String description) {
    this.category = category;
    this.description = description;
  }

  boolean isAggregator() {
    return category == Category.AGGREGATOR;
  }
}
