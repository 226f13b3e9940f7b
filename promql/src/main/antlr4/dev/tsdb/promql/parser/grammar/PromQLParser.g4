/*
 * PromQL syntax (Prometheus 3.x). Tokens come from the hand-written PromQLLexer (Prometheus's
 * lexer is modal: keywords are plain identifiers inside braces, brackets switch to duration
 * expressions), so this is a parser grammar only. The grammar is deliberately not
 * left-recursive: operator precedence is spelled out level by level so that every rule
 * finishes exactly when yacc would reduce it, which keeps error ordering close to upstream.
 *
 * Precedence, loosest first: or < and/unless < comparisons and trims (</, >/) < +,- < *,/,%,atan2 < unary +,- < ^
 * (right-assoc) < postfix modifiers (offset, @, [range], [range:step], anchored, smoothed).
 */
parser grammar PromQLParser;

tokens {
  EQL, BLANK, COLON, COMMA, DURATION, ERROR, IDENTIFIER, LEFT_BRACE, LEFT_BRACKET, LEFT_PAREN,
  GROUP_PAREN,
  OPEN_HIST, METRIC_IDENTIFIER, NUMBER, RIGHT_BRACE, RIGHT_BRACKET, RIGHT_PAREN, SPACE, STRING,
  TIMES,
  ADD, DIV, EQLC, EQL_REGEX, GTE, GTR, LAND, LOR, LSS, LTE, LUNLESS, MOD, MUL, NEQ, NEQ_REGEX,
  POW, SUB, AT, ATAN2, TRIM_UPPER, TRIM_LOWER,
  AVG, BOTTOMK, COUNT, COUNT_VALUES, GROUP, MAX, MIN, QUANTILE, STDDEV, STDVAR, SUM, TOPK,
  LIMITK, LIMIT_RATIO,
  BOOL, BY, GROUP_LEFT, GROUP_RIGHT, IGNORING, OFFSET, SMOOTHED, ANCHORED, ON, WITHOUT,
  FILL, FILL_LEFT, FILL_RIGHT,
  START, END, STEP, RANGE, MIN_OF, MAX_OF
}

// ---- entry points ----

exprInput : expression EOF ;

metricSelectorInput : vectorSelector EOF ;

// `metric@st values` marks a series of start timestamps (seconds relative to each sample).
seriesInput : seriesMetric? (AT IDENTIFIER)? seriesValues EOF ;

// ---- expressions ----

expression : orExpr ;

orExpr : andExpr (LOR binModifiers andExpr)* ;

andExpr : cmpExpr ((LAND | LUNLESS) binModifiers cmpExpr)* ;

// The histogram trim operators </ and >/ bind like comparisons (as upstream's grammar lists them).
cmpExpr : addExpr ((EQLC | NEQ | LTE | LSS | GTE | GTR | TRIM_UPPER | TRIM_LOWER) binModifiers addExpr)* ;

addExpr : mulExpr ((ADD | SUB) binModifiers mulExpr)* ;

mulExpr : unaryExpr ((MUL | DIV | MOD | ATAN2) binModifiers unaryExpr)* ;

// Unary operators bind like '*' (so -a*b is (-a)*b) but looser than '^' (-a^b is -(a^b)).
unaryExpr : (ADD | SUB) unaryExpr | powExpr ;

powExpr : postfixExpr (POW binModifiers unaryExpr)? ;

postfixExpr : primaryExpr postfixOp* ;

postfixOp
  : OFFSET offsetValue
  | AT atValue
  | LEFT_BRACKET rangeSpec RIGHT_BRACKET
  | ANCHORED
  | SMOOTHED
  ;

primaryExpr
  : aggregateExpr
  | functionCall
  | vectorSelector
  | numberLiteral
  | stringLiteral
  | parenExpr
  ;

parenExpr : LEFT_PAREN expression RIGHT_PAREN ;

numberLiteral : NUMBER | DURATION ;

stringLiteral : STRING ;

// ---- binary operator modifiers ----

binModifiers : BOOL? (onOrIgnoring groupModifier?)? fillModifier* ;

onOrIgnoring : (ON | IGNORING) groupingLabels ;

groupModifier : (GROUP_LEFT | GROUP_RIGHT) groupingLabels? ;

fillModifier : (FILL | FILL_LEFT | FILL_RIGHT) LEFT_PAREN (ADD | SUB)? NUMBER RIGHT_PAREN ;

// GROUP_PAREN is a '(' right after by/without/on/ignoring/group_left/group_right: like upstream,
// such a parenthesis always opens a label list (never an expression), which keeps this LL(1).
groupingLabels : GROUP_PAREN (groupingLabel (COMMA groupingLabel)* COMMA?)? RIGHT_PAREN ;

groupingLabel : maybeLabel | STRING ;

// Keywords the lexer may produce where a label name is meant (upstream's maybe_label).
maybeLabel
  : AVG | BOOL | BOTTOMK | BY | COUNT | COUNT_VALUES | GROUP | GROUP_LEFT | GROUP_RIGHT
  | IDENTIFIER | IGNORING | LAND | LOR | LUNLESS | MAX | METRIC_IDENTIFIER | MIN | OFFSET | ON
  | QUANTILE | STDDEV | STDVAR | SUM | TOPK | START | END | ATAN2 | LIMITK | LIMIT_RATIO | STEP
  | RANGE | ANCHORED | SMOOTHED | MIN_OF | MAX_OF
  ;

// ---- aggregations and calls ----

aggregateExpr
  : aggregateOp aggregateModifier functionArgs
  | aggregateOp functionArgs aggregateModifier?
  ;

aggregateOp
  : AVG | BOTTOMK | COUNT | COUNT_VALUES | GROUP | MAX | MIN | QUANTILE | STDDEV | STDVAR | SUM
  | TOPK | LIMITK | LIMIT_RATIO
  ;

aggregateModifier : (BY | WITHOUT) groupingLabels ;

functionCall : functionName functionArgs ;

functionName : IDENTIFIER | START | END | STEP | RANGE | MIN_OF | MAX_OF ;

functionArgs : LEFT_PAREN (expression (COMMA expression)* COMMA?)? RIGHT_PAREN ;

// ---- selectors ----

vectorSelector : metricIdentifier labelMatchers? | labelMatchers ;

// Keywords that are still metric names where an expression starts (upstream's metric_identifier).
metricIdentifier
  : AVG | BOTTOMK | BY | COUNT | COUNT_VALUES | GROUP | IDENTIFIER | LAND | LOR | LUNLESS | MAX
  | METRIC_IDENTIFIER | MIN | OFFSET | QUANTILE | STDDEV | STDVAR | SUM | TOPK | WITHOUT | START
  | END | LIMITK | LIMIT_RATIO | STEP | RANGE | ANCHORED | SMOOTHED | MIN_OF | MAX_OF
  ;

labelMatchers : LEFT_BRACE (labelMatcher (COMMA labelMatcher)* COMMA?)? RIGHT_BRACE ;

labelMatcher
  : IDENTIFIER matchOp STRING
  | STRING matchOp STRING
  | STRING
  ;

matchOp : EQL | NEQ | EQL_REGEX | NEQ_REGEX ;

// ---- offset, @ and ranges ----

offsetValue : (ADD | SUB)? durationAtom ;

atValue
  : (ADD | SUB)? (NUMBER | DURATION)
  | (START | END) LEFT_PAREN RIGHT_PAREN
  ;

rangeSpec : durationExpr (COLON durationExpr?)? ;

durationExpr : durationAdd ;

durationAdd : durationMul ((ADD | SUB) durationMul)* ;

durationMul : durationUnary ((MUL | DIV | MOD) durationUnary)* ;

durationUnary : (ADD | SUB) durationUnary | durationPow ;

durationPow : durationAtom (POW durationUnary)? ;

durationAtom
  : NUMBER
  | DURATION
  | LEFT_PAREN durationExpr RIGHT_PAREN
  | (STEP | RANGE) LEFT_PAREN RIGHT_PAREN
  | (MIN_OF | MAX_OF) LEFT_PAREN durationExpr COMMA durationExpr RIGHT_PAREN
  ;

// ---- series descriptions (test scripts, promtool) ----

seriesMetric : metricIdentifier labelSet? | labelSet ;

labelSet : LEFT_BRACE (labelSetItem (COMMA labelSetItem)* COMMA?)? RIGHT_BRACE ;

labelSetItem
  : IDENTIFIER EQL STRING
  | STRING EQL STRING
  | STRING
  ;

seriesValues : (SPACE seriesItem?)* ;

seriesItem
  : BLANK (TIMES NUMBER)?
  | seriesValue ((ADD | SUB) seriesNumber)? TIMES NUMBER
  | seriesValue
  | OPEN_HIST
  ;

seriesValue : IDENTIFIER | (ADD | SUB)? seriesNumber ;

seriesNumber : NUMBER | DURATION ;
