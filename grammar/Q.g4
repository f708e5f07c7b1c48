/*
 * Q.g4 -- the normative ANTLR 4 grammar of the `q` filter language.
 *
 * This grammar is the machine-readable form of sections 2 (lexical structure) and 3 (grammar)
 * of the specification (docs/spec.md). A client in any ANTLR target language (Java,
 * JavaScript, TypeScript, Go, Python, ...) generates its lexer and parser from this file alone,
 * without warnings, with the ANTLR 4.13.2 tool:
 *
 *     antlr4 -Dlanguage=<Target> -no-listener -no-visitor Q.g4
 *
 * How the grammar behaves (what makes all parsers of `q` agree on tokens, trees and offsets):
 *
 *   - The lexer forms tokens by longest match, independently of the parser's state (no modes,
 *     no predicates, no actions). When two rules match the same length, the rule defined
 *     first wins; the order of the rules below is therefore significant.
 *   - The lexer never fails: any text that is not a token is matched by one of the error
 *     rules (BAD_STRING, BAD_NUMBER, the FOREIGN_* operators, ERROR_CHAR), which no parser
 *     rule references. Such a token is a `syntax_error` at its position.
 *
 * CLIENT GUIDE (spec section 14.1 "Building a client" has the details; the JavaScript
 * validator in clients/javascript implements it and agrees with qexpr on every case of the
 * conformance suite, conformance/parse.jsonl):
 *
 *   1. Length: more than 4,096 code points is `limit_exceeded` at [4096, length).
 *   2. Input and offsets: lex over a code-point stream, `CharStreams.fromString(q)` (in
 *      JavaScript not `new InputStream(q)`, which counts UTF-16 units). Offsets are then
 *      0-based code-point indexes; a token spans [start, stop + 1) (ANTLR's stop index is
 *      inclusive) and EOF is at [length, length). Remove the console error listeners of the
 *      lexer and the parser (ANTLR's defaults print token names). A BAD_STRING that ends with
 *      its own unescaped closing quote is a STRING whose decoding reports the culprit (in a
 *      path segment too); without it, it is an unterminated string, an error token.
 *   3. Before parsing, one pass over the tokens: the token-level limits (nesting depth of
 *      parentheses, prefix NOT and quantifiers <= 32; quantifier nesting <= 3; decoded string
 *      length <= 1,024 code points) raise at once and win over every other error -- they also
 *      bound the generated parser's recursion, which the length limit alone does not (the Java
 *      target overflows its stack at about 1,200 parentheses). The same pass notes the first
 *      lexical error: an error token; a string that does not decode (`\u0000`, lone surrogate
 *      escapes, bad escapes, raw control characters and raw surrogates, at the offending escape
 *      or character); a number beyond 34 significant digits or a decimal exponent of +-307
 *      (`invalid_literal`); a duration of more than 15 digits (`invalid_literal`); whitespace
 *      inside a path (`metadata . x`), at the gap.
 *   4. Parse from the start rule `query` with the default prediction mode and a fatal error
 *      strategy: no recovery, no reporting, the offending token kept (Java: BailErrorStrategy,
 *      the exception's cause is the RecognitionException; JavaScript: subclass
 *      DefaultErrorStrategy, because the runtime's ParseCancellationException loses its cause).
 *      The parse error is a `syntax_error` at the offending token. Ties with the lexical error
 *      of step 3: it wins when it lies in an earlier token, in the gap before the offending
 *      token, or is a `syntax_error` in that token; an `invalid_literal` in the offending token
 *      itself loses; after a clean parse it is the outcome.
 *   5. After a clean parse without a lexical error: at most 128 predicates (the labelled
 *      alternatives of `predicate` but ParenExpr, counted in source order; the 129th is the
 *      error) and at most 256 values in one IN list (the 257th is the error).
 */
grammar Q;

// =============================================================================================
// Parser
// =============================================================================================

// An empty or all-whitespace q matches every record.
query
    : or_expr? EOF
    ;

// Precedence, loosest first: OR, AND, NOT, predicates (non-associative), `+`/`-` with a
// duration, `-` on a number, `()` and paths. AND and OR chains are n-ary (flattened).
or_expr
    : and_expr (OR and_expr)*
    ;

and_expr
    : not_expr (AND not_expr)*
    ;

not_expr
    : NOT not_expr
    | predicate
    ;

// Predicates are non-associative: `a = b = c` is an error at the second `=`.
predicate
    : LPAREN or_expr RPAREN                                         # ParenExpr
    | quantifier                                                    # QuantifiedPredicate
    | path cmp_op operand                                           # Comparison
    | path NOT? IN LPAREN value (COMMA value)* COMMA? RPAREN        # InList
    | path NOT? BETWEEN low=value AND high=value                    # Between
    | path NOT? op=(LIKE | ILIKE | CONTAINS | STARTS_WITH | ENDS_WITH) STRING  # PatternMatch
    | path IS NOT? NULL                                             # IsNull
    | path                                                          # BooleanField  // same as `path = true`
    ;

// `any(relation, condition)` / `all(relation, condition)`; `any` and `all` are reserved names.
quantifier
    : kind=(ANY | ALL) LPAREN path COMMA or_expr RPAREN
    ;

cmp_op
    : EQ | NE | LT | LE | GT | GE
    ;

// A path as the operand of a comparison is a field-to-field comparison.
operand
    : value
    | path
    ;

// `-` before a number makes it negative (whitespace may separate them).
value
    : STRING
    | MINUS? NUMBER
    | TRUE
    | FALSE
    | NULL
    | time_expr
    ;

// `now()` or a timestamp string, shifted by one or more durations: `now() - 7d + 12h`.
time_expr
    : (NOW LPAREN RPAREN | STRING) ((PLUS | MINUS) DURATION)+
    | NOW LPAREN RPAREN
    ;

// A field path: `model.slug`, `metadata["team-id"]`, `a.b["c.d"].e`. The first segment is an
// identifier that is not a keyword nor a reserved name (the lexer guarantees this: keywords
// never lex as IDENT); a segment after `.` may be any name, keywords included (`metadata.in`).
path
    : IDENT (DOT name | LBRACKET STRING RBRACKET)*
    ;

// Any identifier, keywords and reserved names included, as written (case preserved).
name
    : IDENT
    | AND | OR | NOT | IN | BETWEEN | LIKE | ILIKE | CONTAINS | STARTS_WITH | ENDS_WITH
    | IS | NULL | TRUE | FALSE | ANY | ALL | NOW
    ;

// =============================================================================================
// Lexer
// =============================================================================================

// ---- Keywords and reserved names: case-insensitive, defined before IDENT so that a keyword
// wins a tie of equal length (`and` is AND; `android` is a longer IDENT).
AND         : A N D ;
OR          : O R ;
NOT         : N O T ;
IN          : I N ;
BETWEEN     : B E T W E E N ;
LIKE        : L I K E ;
ILIKE       : I L I K E ;
CONTAINS    : C O N T A I N S ;
STARTS_WITH : S T A R T S '_' W I T H ;
ENDS_WITH   : E N D S '_' W I T H ;
IS          : I S ;
NULL        : N U L L ;
TRUE        : T R U E ;
FALSE       : F A L S E ;
ANY         : A N Y ;
ALL         : A L L ;
NOW         : N O W ;

// ---- Identifiers (ASCII only).
IDENT : [A-Za-z_] [A-Za-z0-9_]* ;

// ---- Strings.
// A well-formed string literal: double or single quoted; escapes \" \' \\ \/ \b \f \n \r \t
// and \uXXXX (exactly four hex digits, either case); no raw control character U+0000-U+001F.
// Decoding additionally rejects `\u0000` and lone surrogates (see the header).
STRING
    : '"' ( ~["\\\u0000-\u001F] | ESCAPE )* '"'
    | '\'' ( ~['\\\u0000-\u001F] | ESCAPE )* '\''
    ;

// Any other quoted run: a backslash escapes any one character, and the closing quote is
// optional, so an unterminated string runs from its quote to the end of the input. Defined
// after STRING, so a well-formed literal (same length) is a STRING. A BAD_STRING that ends
// with its closing quote is a string with a bad escape or a raw control character: decoding
// reports the exact offending character. One without its closing quote is an unterminated
// string. Either way it is a `syntax_error`.
// (A lone backslash as the very last character of the input is part of the unterminated
// string too: the optional final `\\` below.)
BAD_STRING
    : '"' ( ~["\\] | '\\' . )* ( '"' | '\\' )?
    | '\'' ( ~['\\] | '\\' . )* ( '\'' | '\\' )?
    ;

// ---- Numbers and durations.
// An exact decimal: no leading `+` or `.`, no trailing `.`; a leading `-` is a token of its own.
NUMBER
    : DIGIT+ ( '.' DIGIT+ )? ( [eE] [+-]? DIGIT+ )?
    ;

// An integer immediately followed by a lower-case unit: 250ms, 30s, 90m, 12h, 7d, 2w.
DURATION
    : DIGIT+ ( 'ms' | 's' | 'm' | 'h' | 'd' | 'w' )
    ;

// A run that starts with a digit extends over [A-Za-z0-9_.] (and a sign right after e/E).
// When the whole run is exactly one NUMBER or DURATION, that rule (defined first) wins the
// tie; otherwise the run is longer than any NUMBER/DURATION prefix and is one error token:
// `7dx`, `1.5d`, `1.`, `1e`, `1AND`, `7D`.
BAD_NUMBER
    : DIGIT ( [eE] [+-] | [A-Za-z0-9_.] )*
    ;

// ---- Punctuation and operators.
LPAREN   : '(' ;
RPAREN   : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA    : ',' ;
DOT      : '.' ;
MINUS    : '-' ;
PLUS     : '+' ;
EQ       : '=' ;
NE       : '!=' ;
LT       : '<' ;
LE       : '<=' ;
GT       : '>' ;
GE       : '>=' ;

// ---- Operators of other languages: error tokens, so that a message can say what to write
// instead (`==` -> `=`, `<>` -> `!=`, `&&`/`&` -> AND, `||`/`|` -> OR, `!` -> NOT or `!=`).
FOREIGN_EQ     : '==' ;
FOREIGN_NE     : '<>' ;
FOREIGN_ANDAND : '&&' ;
FOREIGN_OROR   : '||' ;
FOREIGN_NOT    : '!' ;
FOREIGN_AND    : '&' ;
FOREIGN_OR     : '|' ;

// ---- Whitespace separates tokens and is otherwise ignored (only these four characters).
WS : [ \t\r\n]+ -> skip ;

// ---- Any other single code point (U+0000 and lone surrogates included) is an error token.
// Must stay the very last rule.
ERROR_CHAR : . ;

// ---- Fragments.
fragment ESCAPE : '\\' ( ["'\\/bfnrt] | 'u' HEX HEX HEX HEX ) ;
fragment HEX    : [0-9A-Fa-f] ;
fragment DIGIT  : [0-9] ;

fragment A : [aA] ;
fragment B : [bB] ;
fragment C : [cC] ;
fragment D : [dD] ;
fragment E : [eE] ;
fragment F : [fF] ;
fragment H : [hH] ;
fragment I : [iI] ;
fragment K : [kK] ;
fragment L : [lL] ;
fragment N : [nN] ;
fragment O : [oO] ;
fragment R : [rR] ;
fragment S : [sS] ;
fragment T : [tT] ;
fragment U : [uU] ;
fragment W : [wW] ;
fragment Y : [yY] ;
