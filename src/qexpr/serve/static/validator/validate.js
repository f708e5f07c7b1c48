// validate(q): the syntax stage of spec section 7 for a client, on the parser generated from
// grammar/Q.g4 -- exactly the client pipeline of the spec ("Building a client", section 14):
//
//   1. length limit (code points);
//   2. lex with CharStreams.fromString (code-point offsets), no console listeners;
//   3. token scan: nesting depth, quantifier nesting and string length (raised at once), and
//      the first lexical/literal error (error tokens, string decoding, number range, duration
//      length, whitespace inside a path);
//   4. parse from `query` with a fatal error strategy (no recovery, the offending token kept);
//      the first error in source order wins (ties: see `settle`);
//   5. after a clean parse: predicate count and IN-list size.
//
// Returns {ok: true} or {ok: false, code, start, end, message}.

import { CharStreams, CommonTokenStream, DefaultErrorStrategy, ParserRuleContext, Token } from 'antlr4';
import QLexer from './generated/QLexer.js';
import QParser from './generated/QParser.js';
import { checkDuration, checkNumber, decodeString, isClosed } from './literals.js';

/** The default limits of spec section 6. */
export const DEFAULT_LIMITS = Object.freeze({
  maxLength: 4096,
  maxDepth: 32,
  maxQuantifierDepth: 3,
  maxStringLength: 1024,
  maxPredicates: 128,
  maxInValues: 256,
});

const T = QLexer;
const ERROR_TYPES = new Set([T.BAD_NUMBER, T.FOREIGN_EQ, T.FOREIGN_NE, T.FOREIGN_ANDAND,
  T.FOREIGN_OROR, T.FOREIGN_NOT, T.FOREIGN_AND, T.FOREIGN_OR, T.ERROR_CHAR]);
const KEYWORD_TYPES = [T.AND, T.OR, T.NOT, T.IN, T.BETWEEN, T.LIKE, T.ILIKE, T.CONTAINS,
  T.STARTS_WITH, T.ENDS_WITH, T.IS, T.NULL, T.TRUE, T.FALSE, T.ANY, T.ALL, T.NOW];
const NAME_TYPES = new Set([T.IDENT, ...KEYWORD_TYPES]);
const PREFIX_NOT_AFTER = new Set([T.LPAREN, T.COMMA, T.AND, T.OR, T.NOT]);
const OPERAND_END = new Set([T.AND, T.OR, T.COMMA]);
const SEGMENT_OPENERS = new Set([T.DOT, T.LBRACKET]);
const PATH_PUNCTUATION = new Set([T.DOT, T.LBRACKET, T.RBRACKET]);
const PREDICATES = [QParser.ComparisonContext, QParser.InListContext, QParser.BetweenContext,
  QParser.PatternMatchContext, QParser.IsNullContext, QParser.BooleanFieldContext,
  QParser.QuantifiedPredicateContext];

class Stop extends Error {
  constructor(error) {
    super(error.message);
    this.error = error;
  }
}

class ParseFailure extends Error {
  constructor(token) {
    super('parse failure');
    this.token = token;
  }
}

/** No recovery, no reporting: the first syntax error ends the parse, keeping its token. */
class FatalErrorStrategy extends DefaultErrorStrategy {
  reportError() {}
  recover(recognizer, e) {
    throw new ParseFailure(e.offendingToken ?? recognizer.getCurrentToken());
  }
  recoverInline(recognizer) {
    throw new ParseFailure(recognizer.getCurrentToken());
  }
  sync() {}
}

function clip(text) {
  const chars = Array.from(text);
  return chars.length <= 30 ? text : `${chars.slice(0, 29).join('')}\u2026`;
}

function err(code, start, end, message) {
  return { code, start, end, message };
}

/** Validate the syntax of q (a string) at the default limits of spec section 6. */
export function validate(q) {
  if (typeof q !== 'string') throw new TypeError('q must be a string');
  const lim = DEFAULT_LIMITS;
  const cps = Array.from(q);
  if (cps.length > lim.maxLength) {
    return { ok: false, ...err('limit_exceeded', lim.maxLength, cps.length, `the filter is longer than ${lim.maxLength} characters`) };
  }
  try {
    const result = run(q, cps, lim);
    return result === null ? { ok: true } : { ok: false, ...result };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, ...e.error };
    throw e;
  }
}

function run(q, cps, lim) {
  const lexer = new QLexer(CharStreams.fromString(q));
  lexer.removeErrorListeners();
  const stream = new CommonTokenStream(lexer);
  stream.fill();
  // A BAD_STRING that ends with its own closing quote is a string literal whose decoding
  // fails (step 3); it counts as a STRING, in a path segment too.
  const tokens = stream.tokens.map((t) => ({
    type: t.type === T.BAD_STRING && isClosed(cps.slice(t.start, t.stop + 1).join('')) ? T.STRING
      : t.type,
    start: t.type === Token.EOF ? cps.length : t.start,
    end: t.type === Token.EOF ? cps.length : t.stop + 1,
  }));
  const lexical = scan(cps, tokens, lim);

  const parser = new QParser(stream);
  parser.removeErrorListeners();
  parser._errHandler = new FatalErrorStrategy();
  let tree;
  try {
    tree = parser.query();
  } catch (e) {
    if (!(e instanceof ParseFailure)) throw e;
    const index = e.token.tokenIndex;
    const token = tokens[index];
    const parseError = err('syntax_error', token.start, token.end,
      token.type === Token.EOF ? 'unexpected end of input'
        : `unexpected \`${clip(cps.slice(token.start, token.end).join(''))}\``);
    return settle(lexical, index, parseError);
  }
  if (lexical !== null) return lexical.error;
  return treeLimits(tree, lim);
}

// The first error in source order wins: a lexical error in a token before the failing one, in
// the gap before it, or a syntax_error inside it beats the parse error; an invalid_literal in
// the failing token itself loses to it (syntax_error comes first in code precedence).
function settle(lexical, index, parseError) {
  if (lexical !== null && lexical.index <= index) {
    if (lexical.index < index || lexical.before || lexical.error.code === 'syntax_error') {
      return lexical.error;
    }
  }
  return parseError;
}

function scan(cps, tokens, lim) {
  const stack = [[0, 0]]; // per open parenthesis: [pending prefix NOTs, is it a quantifier's]
  let depth = 0;
  let quantifiers = 0;
  let first = null; // {index, before, error}
  let joined = null;
  const note = (index, before, error) => {
    if (first === null || index < first.index || (index === first.index && before && !first.before)) {
      first = { index, before, error };
    }
  };
  const tooDeep = (t) => new Stop(err('limit_exceeded', t.start, t.end,
    `the filter nests more than ${lim.maxDepth} levels deep (parentheses, NOT and quantifiers)`));
  tokens.forEach((t, index) => {
    const previous = index > 0 ? tokens[index - 1] : null;
    const type = t.type;
    if (type === T.LPAREN) {
      const quantifier = previous !== null && (previous.type === T.ANY || previous.type === T.ALL);
      stack.push([0, quantifier ? 1 : 0]);
      depth += 1;
      if (quantifier) {
        quantifiers += 1;
        if (quantifiers > lim.maxQuantifierDepth) {
          throw new Stop(err('limit_exceeded', previous.start, previous.end,
            `any()/all() may nest at most ${lim.maxQuantifierDepth} deep`));
        }
      }
      if (depth > lim.maxDepth) throw tooDeep(t);
    } else if (type === T.RPAREN) {
      if (stack.length > 1) {
        const [pending, quantifier] = stack.pop();
        depth -= pending + 1;
        quantifiers -= quantifier;
      }
    } else if (type === T.NOT && (previous === null || PREFIX_NOT_AFTER.has(previous.type))) {
      stack[stack.length - 1][0] += 1;
      depth += 1;
      if (depth > lim.maxDepth) throw tooDeep(t);
    } else if (OPERAND_END.has(type)) {
      depth -= stack[stack.length - 1][0];
      stack[stack.length - 1][0] = 0;
    } else if (type === T.BAD_STRING) {
      note(index, false, err('syntax_error', t.start, t.end, 'unterminated string (no closing quote)'));
    } else if (type === T.STRING) {
      const decoded = decodeString(cps, t.start, t.end);
      if (decoded.error) note(index, false, decoded.error);
      else if (decoded.length > lim.maxStringLength) {
        throw new Stop(err('limit_exceeded', t.start, t.end,
          `a string literal may hold at most ${lim.maxStringLength} characters`));
      }
    } else if (type === T.NUMBER) {
      const problem = checkNumber(cps.slice(t.start, t.end).join(''), t.start, t.end);
      if (problem) note(index, false, problem);
    } else if (type === T.DURATION) {
      const problem = checkDuration(cps.slice(t.start, t.end).join(''), t.start, t.end);
      if (problem) note(index, false, problem);
    } else if (ERROR_TYPES.has(type)) {
      note(index, false, err('syntax_error', t.start, t.end, `unexpected \`${clip(cps.slice(t.start, t.end).join(''))}\``));
    }
    if (previous !== null && previous.end !== t.start
        && (PATH_PUNCTUATION.has(type) || SEGMENT_OPENERS.has(previous.type))) {
      joined ??= pathJoins(tokens);
      if (joined[index]) {
        note(index, true, err('syntax_error', previous.end, t.start, 'whitespace is not allowed inside a path'));
      }
    }
  });
  return first;
}

// joined[i]: tokens[i - 1] and tokens[i] are consecutive tokens of one complete path.
function pathJoins(tokens) {
  const n = tokens.length;
  const joined = new Array(n + 1).fill(false);
  let i = 0;
  while (i < n) {
    if (tokens[i].type !== T.IDENT) {
      i += 1;
      continue;
    }
    let end = i + 1;
    for (;;) {
      if (end + 1 < n && tokens[end].type === T.DOT && NAME_TYPES.has(tokens[end + 1].type)) {
        end += 2;
      } else if (end + 2 < n && tokens[end].type === T.LBRACKET && tokens[end + 1].type === T.STRING
          && tokens[end + 2].type === T.RBRACKET) {
        end += 3;
      } else break;
    }
    for (let k = i + 1; k < end; k += 1) joined[k] = true;
    i = end;
  }
  return joined;
}

function span(ctx) {
  return [ctx.start.start, ctx.stop.stop + 1];
}

// The predicates in source order (pre-order); the 129th, or the 257th value of an IN list.
function treeLimits(tree, lim) {
  const stack = [tree];
  let count = 0;
  while (stack.length > 0) {
    const node = stack.pop();
    if (PREDICATES.some((kind) => node instanceof kind)) {
      count += 1;
      if (count > lim.maxPredicates) {
        return err('limit_exceeded', ...span(node), `the filter has more than ${lim.maxPredicates} conditions`);
      }
      if (node instanceof QParser.InListContext) {
        const values = node.value();
        if (values.length > lim.maxInValues) {
          return err('limit_exceeded', ...span(values[lim.maxInValues]),
            `an IN list may hold at most ${lim.maxInValues} values`);
        }
      }
    }
    for (let i = node.getChildCount() - 1; i >= 0; i -= 1) {
      const child = node.getChild(i);
      if (child instanceof ParserRuleContext) stack.push(child);
    }
  }
  return null;
}
