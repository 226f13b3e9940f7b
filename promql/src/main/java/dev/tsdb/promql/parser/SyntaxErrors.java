package dev.tsdb.promql.parser;

import static dev.tsdb.promql.parser.grammar.PromQLParser.*;

import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;

/**
 * Words a syntax error the way Prometheus does: {@code unexpected <item>[ in <context>][,
 * expected <what>]}. Upstream's yacc grammar attaches contexts through error productions; here
 * the context comes from the rules still open when ANTLR gave up plus the tokens just before the
 * offending one, which reproduces upstream's choices for the productions it has.
 */
final class SyntaxErrors {
  private SyntaxErrors() {}

  static String message(ParserRuleContext ctx, int offending, List<Lexeme> lexemes) {
    Lexeme off = lexemes.get(offending);
    if (off.kind() == TokenKind.ERROR) {
      return off.text();
    }
    String context = context(ctx, offending, lexemes);
    return "unexpected " + off.describe() + (context == null ? "" : context);
  }

  private static String context(ParserRuleContext ctx, int i, List<Lexeme> lexemes) {
    TokenKind prev = i > 0 ? lexemes.get(i - 1).kind() : null;
    if (prev == TokenKind.GROUP_LEFT || prev == TokenKind.GROUP_RIGHT) {
      return " in grouping opts, expected \"(\"";
    }
    for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
      switch (c.getRuleIndex()) {
        case RULE_labelMatchers, RULE_labelMatcher, RULE_matchOp:
          return labelMatching(prev);
        case RULE_labelSet, RULE_labelSetItem:
          return labelSet(prev);
        case RULE_groupingLabels, RULE_groupingLabel, RULE_maybeLabel:
          return grouping(prev);
        case RULE_offsetValue:
          return " in offset, expected number, duration, step(), or range()";
        case RULE_atValue:
          return " in @, expected timestamp";
        case RULE_rangeSpec:
          return range(i, lexemes);
        case RULE_postfixOp:
          if (c.getStart().getType() == LEFT_BRACKET) {
            return range(i, lexemes);
          }
          break;
        case RULE_functionArgs:
          if (c.getChildCount() == 0 && c.getParent() != null
              && c.getParent().getRuleIndex() == RULE_aggregateExpr
              && c.getParent().getChildCount() > 1
              && c.getParent().getChild(1) instanceof ParserRuleContext m
              && m.getRuleIndex() == RULE_aggregateModifier) {
            return " in aggregation";
          }
          break;
        case RULE_seriesValues, RULE_seriesItem, RULE_seriesValue, RULE_seriesNumber:
          return " in series values";
        default:
          break;
      }
    }
    return null;
  }

  private static String labelMatching(TokenKind prev) {
    if (prev == TokenKind.LEFT_BRACE || prev == TokenKind.COMMA) {
      return " in label matching, expected identifier or \"}\"";
    }
    if (prev == TokenKind.IDENTIFIER) {
      return " in label matching, expected label matching operator";
    }
    if (prev == TokenKind.EQL || prev == TokenKind.NEQ || prev == TokenKind.EQL_REGEX
        || prev == TokenKind.NEQ_REGEX) {
      return " in label matching, expected string";
    }
    return " in label matching, expected \",\" or \"}\"";
  }

  private static String labelSet(TokenKind prev) {
    if (prev == TokenKind.LEFT_BRACE || prev == TokenKind.COMMA) {
      return " in label set, expected identifier or \"}\"";
    }
    if (prev == TokenKind.IDENTIFIER) {
      return " in label set, expected \"=\"";
    }
    if (prev == TokenKind.EQL) {
      return " in label set, expected string";
    }
    return " in label set, expected \",\" or \"}\"";
  }

  private static String grouping(TokenKind prev) {
    if (prev == TokenKind.GROUP_PAREN || prev == TokenKind.COMMA) {
      return " in grouping opts, expected label";
    }
    if (prev == TokenKind.BY || prev == TokenKind.WITHOUT || prev == TokenKind.ON
        || prev == TokenKind.IGNORING) {
      return " in grouping opts, expected \"(\"";
    }
    return " in grouping opts, expected \",\" or \")\"";
  }

  /** Errors inside {@code [...]}: which part is complete decides the expectation. */
  private static String range(int i, List<Lexeme> lexemes) {
    int depth = 0;
    int open = -1;
    for (int j = i - 1; j >= 0; j--) {
      TokenKind k = lexemes.get(j).kind();
      if (k == TokenKind.RIGHT_PAREN) {
        depth++;
      } else if (k == TokenKind.LEFT_PAREN) {
        depth--;
      } else if (k == TokenKind.LEFT_BRACKET && depth <= 0) {
        open = j;
        break;
      }
    }
    int segmentStart = open + 1;
    boolean colon = false;
    for (int j = open + 1; j < i; j++) {
      if (lexemes.get(j).kind() == TokenKind.COLON) {
        colon = true;
        segmentStart = j + 1;
      }
    }
    boolean complete = isComplete(lexemes, segmentStart, i);
    if (!colon) {
      return complete ? " in subquery or range, expected \":\" or \"]\""
          : " in subquery or range selector, expected number, duration, step(), or range()";
    }
    return complete ? " in subquery selector, expected \"]\""
        : " in subquery selector, expected number, duration, step(), range(), or \"]\"";
  }

  private static boolean isComplete(List<Lexeme> lexemes, int from, int to) {
    if (from >= to) {
      return false;
    }
    int balance = 0;
    for (int j = from; j < to; j++) {
      TokenKind k = lexemes.get(j).kind();
      if (k == TokenKind.LEFT_PAREN) {
        balance++;
      } else if (k == TokenKind.RIGHT_PAREN) {
        balance--;
      }
    }
    TokenKind last = lexemes.get(to - 1).kind();
    return balance == 0 && (last == TokenKind.NUMBER || last == TokenKind.DURATION
        || last == TokenKind.RIGHT_PAREN);
  }
}
