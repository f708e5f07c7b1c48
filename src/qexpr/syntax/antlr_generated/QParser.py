# Generated from grammar/Q.g4 by ANTLR 4.13.2 (scripts/generate_antlr.py). Do not edit.
# encoding: utf-8
from antlr4 import *
from io import StringIO
import sys
if sys.version_info[1] > 5:
	from typing import TextIO
else:
	from typing.io import TextIO

def serializedATN():
    return [
        4,1,46,159,2,0,7,0,2,1,7,1,2,2,7,2,2,3,7,3,2,4,7,4,2,5,7,5,2,6,7,
        6,2,7,7,7,2,8,7,8,2,9,7,9,2,10,7,10,2,11,7,11,1,0,3,0,26,8,0,1,0,
        1,0,1,1,1,1,1,1,5,1,33,8,1,10,1,12,1,36,9,1,1,2,1,2,1,2,5,2,41,8,
        2,10,2,12,2,44,9,2,1,3,1,3,1,3,3,3,49,8,3,1,4,1,4,1,4,1,4,1,4,1,
        4,1,4,1,4,1,4,1,4,1,4,3,4,62,8,4,1,4,1,4,1,4,1,4,1,4,5,4,69,8,4,
        10,4,12,4,72,9,4,1,4,3,4,75,8,4,1,4,1,4,1,4,1,4,3,4,81,8,4,1,4,1,
        4,1,4,1,4,1,4,1,4,1,4,3,4,90,8,4,1,4,1,4,1,4,1,4,1,4,1,4,3,4,98,
        8,4,1,4,1,4,1,4,3,4,103,8,4,1,5,1,5,1,5,1,5,1,5,1,5,1,5,1,6,1,6,
        1,7,1,7,3,7,116,8,7,1,8,1,8,3,8,120,8,8,1,8,1,8,1,8,1,8,1,8,3,8,
        127,8,8,1,9,1,9,1,9,1,9,3,9,133,8,9,1,9,1,9,4,9,137,8,9,11,9,12,
        9,138,1,9,1,9,1,9,3,9,144,8,9,1,10,1,10,1,10,1,10,1,10,1,10,5,10,
        152,8,10,10,10,12,10,155,9,10,1,11,1,11,1,11,0,0,12,0,2,4,6,8,10,
        12,14,16,18,20,22,0,5,1,0,6,10,1,0,15,16,1,0,32,37,1,0,30,31,1,0,
        1,18,175,0,25,1,0,0,0,2,29,1,0,0,0,4,37,1,0,0,0,6,48,1,0,0,0,8,102,
        1,0,0,0,10,104,1,0,0,0,12,111,1,0,0,0,14,115,1,0,0,0,16,126,1,0,
        0,0,18,143,1,0,0,0,20,145,1,0,0,0,22,156,1,0,0,0,24,26,3,2,1,0,25,
        24,1,0,0,0,25,26,1,0,0,0,26,27,1,0,0,0,27,28,5,0,0,1,28,1,1,0,0,
        0,29,34,3,4,2,0,30,31,5,2,0,0,31,33,3,4,2,0,32,30,1,0,0,0,33,36,
        1,0,0,0,34,32,1,0,0,0,34,35,1,0,0,0,35,3,1,0,0,0,36,34,1,0,0,0,37,
        42,3,6,3,0,38,39,5,1,0,0,39,41,3,6,3,0,40,38,1,0,0,0,41,44,1,0,0,
        0,42,40,1,0,0,0,42,43,1,0,0,0,43,5,1,0,0,0,44,42,1,0,0,0,45,46,5,
        3,0,0,46,49,3,6,3,0,47,49,3,8,4,0,48,45,1,0,0,0,48,47,1,0,0,0,49,
        7,1,0,0,0,50,51,5,24,0,0,51,52,3,2,1,0,52,53,5,25,0,0,53,103,1,0,
        0,0,54,103,3,10,5,0,55,56,3,20,10,0,56,57,3,12,6,0,57,58,3,14,7,
        0,58,103,1,0,0,0,59,61,3,20,10,0,60,62,5,3,0,0,61,60,1,0,0,0,61,
        62,1,0,0,0,62,63,1,0,0,0,63,64,5,4,0,0,64,65,5,24,0,0,65,70,3,16,
        8,0,66,67,5,28,0,0,67,69,3,16,8,0,68,66,1,0,0,0,69,72,1,0,0,0,70,
        68,1,0,0,0,70,71,1,0,0,0,71,74,1,0,0,0,72,70,1,0,0,0,73,75,5,28,
        0,0,74,73,1,0,0,0,74,75,1,0,0,0,75,76,1,0,0,0,76,77,5,25,0,0,77,
        103,1,0,0,0,78,80,3,20,10,0,79,81,5,3,0,0,80,79,1,0,0,0,80,81,1,
        0,0,0,81,82,1,0,0,0,82,83,5,5,0,0,83,84,3,16,8,0,84,85,5,1,0,0,85,
        86,3,16,8,0,86,103,1,0,0,0,87,89,3,20,10,0,88,90,5,3,0,0,89,88,1,
        0,0,0,89,90,1,0,0,0,90,91,1,0,0,0,91,92,7,0,0,0,92,93,5,19,0,0,93,
        103,1,0,0,0,94,95,3,20,10,0,95,97,5,11,0,0,96,98,5,3,0,0,97,96,1,
        0,0,0,97,98,1,0,0,0,98,99,1,0,0,0,99,100,5,12,0,0,100,103,1,0,0,
        0,101,103,3,20,10,0,102,50,1,0,0,0,102,54,1,0,0,0,102,55,1,0,0,0,
        102,59,1,0,0,0,102,78,1,0,0,0,102,87,1,0,0,0,102,94,1,0,0,0,102,
        101,1,0,0,0,103,9,1,0,0,0,104,105,7,1,0,0,105,106,5,24,0,0,106,107,
        3,20,10,0,107,108,5,28,0,0,108,109,3,2,1,0,109,110,5,25,0,0,110,
        11,1,0,0,0,111,112,7,2,0,0,112,13,1,0,0,0,113,116,3,16,8,0,114,116,
        3,20,10,0,115,113,1,0,0,0,115,114,1,0,0,0,116,15,1,0,0,0,117,127,
        5,19,0,0,118,120,5,30,0,0,119,118,1,0,0,0,119,120,1,0,0,0,120,121,
        1,0,0,0,121,127,5,21,0,0,122,127,5,13,0,0,123,127,5,14,0,0,124,127,
        5,12,0,0,125,127,3,18,9,0,126,117,1,0,0,0,126,119,1,0,0,0,126,122,
        1,0,0,0,126,123,1,0,0,0,126,124,1,0,0,0,126,125,1,0,0,0,127,17,1,
        0,0,0,128,129,5,17,0,0,129,130,5,24,0,0,130,133,5,25,0,0,131,133,
        5,19,0,0,132,128,1,0,0,0,132,131,1,0,0,0,133,136,1,0,0,0,134,135,
        7,3,0,0,135,137,5,22,0,0,136,134,1,0,0,0,137,138,1,0,0,0,138,136,
        1,0,0,0,138,139,1,0,0,0,139,144,1,0,0,0,140,141,5,17,0,0,141,142,
        5,24,0,0,142,144,5,25,0,0,143,132,1,0,0,0,143,140,1,0,0,0,144,19,
        1,0,0,0,145,153,5,18,0,0,146,147,5,29,0,0,147,152,3,22,11,0,148,
        149,5,26,0,0,149,150,5,19,0,0,150,152,5,27,0,0,151,146,1,0,0,0,151,
        148,1,0,0,0,152,155,1,0,0,0,153,151,1,0,0,0,153,154,1,0,0,0,154,
        21,1,0,0,0,155,153,1,0,0,0,156,157,7,4,0,0,157,23,1,0,0,0,19,25,
        34,42,48,61,70,74,80,89,97,102,115,119,126,132,138,143,151,153
    ]

class QParser ( Parser ):

    grammarFileName = "Q.g4"

    atn = ATNDeserializer().deserialize(serializedATN())

    decisionsToDFA = [ DFA(ds, i) for i, ds in enumerate(atn.decisionToState) ]

    sharedContextCache = PredictionContextCache()

    literalNames = [ "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>",
                     "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>",
                     "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>",
                     "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>",
                     "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>",
                     "<INVALID>", "<INVALID>", "<INVALID>", "<INVALID>",
                     "'('", "')'", "'['", "']'", "','", "'.'", "'-'", "'+'",
                     "'='", "'!='", "'<'", "'<='", "'>'", "'>='", "'=='",
                     "'<>'", "'&&'", "'||'", "'!'", "'&'", "'|'" ]

    symbolicNames = [ "<INVALID>", "AND", "OR", "NOT", "IN", "BETWEEN",
                      "LIKE", "ILIKE", "CONTAINS", "STARTS_WITH", "ENDS_WITH",
                      "IS", "NULL", "TRUE", "FALSE", "ANY", "ALL", "NOW",
                      "IDENT", "STRING", "BAD_STRING", "NUMBER", "DURATION",
                      "BAD_NUMBER", "LPAREN", "RPAREN", "LBRACKET", "RBRACKET",
                      "COMMA", "DOT", "MINUS", "PLUS", "EQ", "NE", "LT",
                      "LE", "GT", "GE", "FOREIGN_EQ", "FOREIGN_NE", "FOREIGN_ANDAND",
                      "FOREIGN_OROR", "FOREIGN_NOT", "FOREIGN_AND", "FOREIGN_OR",
                      "WS", "ERROR_CHAR" ]

    RULE_query = 0
    RULE_or_expr = 1
    RULE_and_expr = 2
    RULE_not_expr = 3
    RULE_predicate = 4
    RULE_quantifier = 5
    RULE_cmp_op = 6
    RULE_operand = 7
    RULE_value = 8
    RULE_time_expr = 9
    RULE_path = 10
    RULE_name = 11

    ruleNames =  [ "query", "or_expr", "and_expr", "not_expr", "predicate",
                   "quantifier", "cmp_op", "operand", "value", "time_expr",
                   "path", "name" ]

    EOF = Token.EOF
    AND=1
    OR=2
    NOT=3
    IN=4
    BETWEEN=5
    LIKE=6
    ILIKE=7
    CONTAINS=8
    STARTS_WITH=9
    ENDS_WITH=10
    IS=11
    NULL=12
    TRUE=13
    FALSE=14
    ANY=15
    ALL=16
    NOW=17
    IDENT=18
    STRING=19
    BAD_STRING=20
    NUMBER=21
    DURATION=22
    BAD_NUMBER=23
    LPAREN=24
    RPAREN=25
    LBRACKET=26
    RBRACKET=27
    COMMA=28
    DOT=29
    MINUS=30
    PLUS=31
    EQ=32
    NE=33
    LT=34
    LE=35
    GT=36
    GE=37
    FOREIGN_EQ=38
    FOREIGN_NE=39
    FOREIGN_ANDAND=40
    FOREIGN_OROR=41
    FOREIGN_NOT=42
    FOREIGN_AND=43
    FOREIGN_OR=44
    WS=45
    ERROR_CHAR=46

    def __init__(self, input:TokenStream, output:TextIO = sys.stdout):
        super().__init__(input, output)
        self.checkVersion("4.13.2")
        self._interp = ParserATNSimulator(self, self.atn, self.decisionsToDFA, self.sharedContextCache)
        self._predicates = None




    class QueryContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def EOF(self):
            return self.getToken(QParser.EOF, 0)

        def or_expr(self):
            return self.getTypedRuleContext(QParser.Or_exprContext,0)


        def getRuleIndex(self):
            return QParser.RULE_query

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitQuery" ):
                return visitor.visitQuery(self)
            else:
                return visitor.visitChildren(self)




    def query(self):

        localctx = QParser.QueryContext(self, self._ctx, self.state)
        self.enterRule(localctx, 0, self.RULE_query)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 25
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            if (((_la) & ~0x3f) == 0 and ((1 << _la) & 17137672) != 0):
                self.state = 24
                self.or_expr()


            self.state = 27
            self.match(QParser.EOF)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class Or_exprContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def and_expr(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(QParser.And_exprContext)
            else:
                return self.getTypedRuleContext(QParser.And_exprContext,i)


        def OR(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.OR)
            else:
                return self.getToken(QParser.OR, i)

        def getRuleIndex(self):
            return QParser.RULE_or_expr

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitOr_expr" ):
                return visitor.visitOr_expr(self)
            else:
                return visitor.visitChildren(self)




    def or_expr(self):

        localctx = QParser.Or_exprContext(self, self._ctx, self.state)
        self.enterRule(localctx, 2, self.RULE_or_expr)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 29
            self.and_expr()
            self.state = 34
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==2:
                self.state = 30
                self.match(QParser.OR)
                self.state = 31
                self.and_expr()
                self.state = 36
                self._errHandler.sync(self)
                _la = self._input.LA(1)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class And_exprContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def not_expr(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(QParser.Not_exprContext)
            else:
                return self.getTypedRuleContext(QParser.Not_exprContext,i)


        def AND(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.AND)
            else:
                return self.getToken(QParser.AND, i)

        def getRuleIndex(self):
            return QParser.RULE_and_expr

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitAnd_expr" ):
                return visitor.visitAnd_expr(self)
            else:
                return visitor.visitChildren(self)




    def and_expr(self):

        localctx = QParser.And_exprContext(self, self._ctx, self.state)
        self.enterRule(localctx, 4, self.RULE_and_expr)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 37
            self.not_expr()
            self.state = 42
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==1:
                self.state = 38
                self.match(QParser.AND)
                self.state = 39
                self.not_expr()
                self.state = 44
                self._errHandler.sync(self)
                _la = self._input.LA(1)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class Not_exprContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def NOT(self):
            return self.getToken(QParser.NOT, 0)

        def not_expr(self):
            return self.getTypedRuleContext(QParser.Not_exprContext,0)


        def predicate(self):
            return self.getTypedRuleContext(QParser.PredicateContext,0)


        def getRuleIndex(self):
            return QParser.RULE_not_expr

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitNot_expr" ):
                return visitor.visitNot_expr(self)
            else:
                return visitor.visitChildren(self)




    def not_expr(self):

        localctx = QParser.Not_exprContext(self, self._ctx, self.state)
        self.enterRule(localctx, 6, self.RULE_not_expr)
        try:
            self.state = 48
            self._errHandler.sync(self)
            token = self._input.LA(1)
            if token in [3]:
                self.enterOuterAlt(localctx, 1)
                self.state = 45
                self.match(QParser.NOT)
                self.state = 46
                self.not_expr()
                pass
            elif token in [15, 16, 18, 24]:
                self.enterOuterAlt(localctx, 2)
                self.state = 47
                self.predicate()
                pass
            else:
                raise NoViableAltException(self)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class PredicateContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser


        def getRuleIndex(self):
            return QParser.RULE_predicate


        def copyFrom(self, ctx:ParserRuleContext):
            super().copyFrom(ctx)



    class BooleanFieldContext(PredicateContext):

        def __init__(self, parser, ctx:ParserRuleContext): # actually a QParser.PredicateContext
            super().__init__(parser)
            self.copyFrom(ctx)

        def path(self):
            return self.getTypedRuleContext(QParser.PathContext,0)


        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitBooleanField" ):
                return visitor.visitBooleanField(self)
            else:
                return visitor.visitChildren(self)


    class ComparisonContext(PredicateContext):

        def __init__(self, parser, ctx:ParserRuleContext): # actually a QParser.PredicateContext
            super().__init__(parser)
            self.copyFrom(ctx)

        def path(self):
            return self.getTypedRuleContext(QParser.PathContext,0)

        def cmp_op(self):
            return self.getTypedRuleContext(QParser.Cmp_opContext,0)

        def operand(self):
            return self.getTypedRuleContext(QParser.OperandContext,0)


        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitComparison" ):
                return visitor.visitComparison(self)
            else:
                return visitor.visitChildren(self)


    class QuantifiedPredicateContext(PredicateContext):

        def __init__(self, parser, ctx:ParserRuleContext): # actually a QParser.PredicateContext
            super().__init__(parser)
            self.copyFrom(ctx)

        def quantifier(self):
            return self.getTypedRuleContext(QParser.QuantifierContext,0)


        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitQuantifiedPredicate" ):
                return visitor.visitQuantifiedPredicate(self)
            else:
                return visitor.visitChildren(self)


    class InListContext(PredicateContext):

        def __init__(self, parser, ctx:ParserRuleContext): # actually a QParser.PredicateContext
            super().__init__(parser)
            self.copyFrom(ctx)

        def path(self):
            return self.getTypedRuleContext(QParser.PathContext,0)

        def IN(self):
            return self.getToken(QParser.IN, 0)
        def LPAREN(self):
            return self.getToken(QParser.LPAREN, 0)
        def value(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(QParser.ValueContext)
            else:
                return self.getTypedRuleContext(QParser.ValueContext,i)

        def RPAREN(self):
            return self.getToken(QParser.RPAREN, 0)
        def NOT(self):
            return self.getToken(QParser.NOT, 0)
        def COMMA(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.COMMA)
            else:
                return self.getToken(QParser.COMMA, i)

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitInList" ):
                return visitor.visitInList(self)
            else:
                return visitor.visitChildren(self)


    class BetweenContext(PredicateContext):

        def __init__(self, parser, ctx:ParserRuleContext): # actually a QParser.PredicateContext
            super().__init__(parser)
            self.low = None # ValueContext
            self.high = None # ValueContext
            self.copyFrom(ctx)

        def path(self):
            return self.getTypedRuleContext(QParser.PathContext,0)

        def BETWEEN(self):
            return self.getToken(QParser.BETWEEN, 0)
        def AND(self):
            return self.getToken(QParser.AND, 0)
        def value(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(QParser.ValueContext)
            else:
                return self.getTypedRuleContext(QParser.ValueContext,i)

        def NOT(self):
            return self.getToken(QParser.NOT, 0)

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitBetween" ):
                return visitor.visitBetween(self)
            else:
                return visitor.visitChildren(self)


    class PatternMatchContext(PredicateContext):

        def __init__(self, parser, ctx:ParserRuleContext): # actually a QParser.PredicateContext
            super().__init__(parser)
            self.op = None # Token
            self.copyFrom(ctx)

        def path(self):
            return self.getTypedRuleContext(QParser.PathContext,0)

        def STRING(self):
            return self.getToken(QParser.STRING, 0)
        def LIKE(self):
            return self.getToken(QParser.LIKE, 0)
        def ILIKE(self):
            return self.getToken(QParser.ILIKE, 0)
        def CONTAINS(self):
            return self.getToken(QParser.CONTAINS, 0)
        def STARTS_WITH(self):
            return self.getToken(QParser.STARTS_WITH, 0)
        def ENDS_WITH(self):
            return self.getToken(QParser.ENDS_WITH, 0)
        def NOT(self):
            return self.getToken(QParser.NOT, 0)

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitPatternMatch" ):
                return visitor.visitPatternMatch(self)
            else:
                return visitor.visitChildren(self)


    class IsNullContext(PredicateContext):

        def __init__(self, parser, ctx:ParserRuleContext): # actually a QParser.PredicateContext
            super().__init__(parser)
            self.copyFrom(ctx)

        def path(self):
            return self.getTypedRuleContext(QParser.PathContext,0)

        def IS(self):
            return self.getToken(QParser.IS, 0)
        def NULL(self):
            return self.getToken(QParser.NULL, 0)
        def NOT(self):
            return self.getToken(QParser.NOT, 0)

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitIsNull" ):
                return visitor.visitIsNull(self)
            else:
                return visitor.visitChildren(self)


    class ParenExprContext(PredicateContext):

        def __init__(self, parser, ctx:ParserRuleContext): # actually a QParser.PredicateContext
            super().__init__(parser)
            self.copyFrom(ctx)

        def LPAREN(self):
            return self.getToken(QParser.LPAREN, 0)
        def or_expr(self):
            return self.getTypedRuleContext(QParser.Or_exprContext,0)

        def RPAREN(self):
            return self.getToken(QParser.RPAREN, 0)

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitParenExpr" ):
                return visitor.visitParenExpr(self)
            else:
                return visitor.visitChildren(self)



    def predicate(self):

        localctx = QParser.PredicateContext(self, self._ctx, self.state)
        self.enterRule(localctx, 8, self.RULE_predicate)
        self._la = 0 # Token type
        try:
            self.state = 102
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,10,self._ctx)
            if la_ == 1:
                localctx = QParser.ParenExprContext(self, localctx)
                self.enterOuterAlt(localctx, 1)
                self.state = 50
                self.match(QParser.LPAREN)
                self.state = 51
                self.or_expr()
                self.state = 52
                self.match(QParser.RPAREN)
                pass

            elif la_ == 2:
                localctx = QParser.QuantifiedPredicateContext(self, localctx)
                self.enterOuterAlt(localctx, 2)
                self.state = 54
                self.quantifier()
                pass

            elif la_ == 3:
                localctx = QParser.ComparisonContext(self, localctx)
                self.enterOuterAlt(localctx, 3)
                self.state = 55
                self.path()
                self.state = 56
                self.cmp_op()
                self.state = 57
                self.operand()
                pass

            elif la_ == 4:
                localctx = QParser.InListContext(self, localctx)
                self.enterOuterAlt(localctx, 4)
                self.state = 59
                self.path()
                self.state = 61
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==3:
                    self.state = 60
                    self.match(QParser.NOT)


                self.state = 63
                self.match(QParser.IN)
                self.state = 64
                self.match(QParser.LPAREN)
                self.state = 65
                self.value()
                self.state = 70
                self._errHandler.sync(self)
                _alt = self._interp.adaptivePredict(self._input,5,self._ctx)
                while _alt!=2 and _alt!=ATN.INVALID_ALT_NUMBER:
                    if _alt==1:
                        self.state = 66
                        self.match(QParser.COMMA)
                        self.state = 67
                        self.value()
                    self.state = 72
                    self._errHandler.sync(self)
                    _alt = self._interp.adaptivePredict(self._input,5,self._ctx)

                self.state = 74
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==28:
                    self.state = 73
                    self.match(QParser.COMMA)


                self.state = 76
                self.match(QParser.RPAREN)
                pass

            elif la_ == 5:
                localctx = QParser.BetweenContext(self, localctx)
                self.enterOuterAlt(localctx, 5)
                self.state = 78
                self.path()
                self.state = 80
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==3:
                    self.state = 79
                    self.match(QParser.NOT)


                self.state = 82
                self.match(QParser.BETWEEN)
                self.state = 83
                localctx.low = self.value()
                self.state = 84
                self.match(QParser.AND)
                self.state = 85
                localctx.high = self.value()
                pass

            elif la_ == 6:
                localctx = QParser.PatternMatchContext(self, localctx)
                self.enterOuterAlt(localctx, 6)
                self.state = 87
                self.path()
                self.state = 89
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==3:
                    self.state = 88
                    self.match(QParser.NOT)


                self.state = 91
                localctx.op = self._input.LT(1)
                _la = self._input.LA(1)
                if not((((_la) & ~0x3f) == 0 and ((1 << _la) & 1984) != 0)):
                    localctx.op = self._errHandler.recoverInline(self)
                else:
                    self._errHandler.reportMatch(self)
                    self.consume()
                self.state = 92
                self.match(QParser.STRING)
                pass

            elif la_ == 7:
                localctx = QParser.IsNullContext(self, localctx)
                self.enterOuterAlt(localctx, 7)
                self.state = 94
                self.path()
                self.state = 95
                self.match(QParser.IS)
                self.state = 97
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==3:
                    self.state = 96
                    self.match(QParser.NOT)


                self.state = 99
                self.match(QParser.NULL)
                pass

            elif la_ == 8:
                localctx = QParser.BooleanFieldContext(self, localctx)
                self.enterOuterAlt(localctx, 8)
                self.state = 101
                self.path()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class QuantifierContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser
            self.kind = None # Token

        def LPAREN(self):
            return self.getToken(QParser.LPAREN, 0)

        def path(self):
            return self.getTypedRuleContext(QParser.PathContext,0)


        def COMMA(self):
            return self.getToken(QParser.COMMA, 0)

        def or_expr(self):
            return self.getTypedRuleContext(QParser.Or_exprContext,0)


        def RPAREN(self):
            return self.getToken(QParser.RPAREN, 0)

        def ANY(self):
            return self.getToken(QParser.ANY, 0)

        def ALL(self):
            return self.getToken(QParser.ALL, 0)

        def getRuleIndex(self):
            return QParser.RULE_quantifier

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitQuantifier" ):
                return visitor.visitQuantifier(self)
            else:
                return visitor.visitChildren(self)




    def quantifier(self):

        localctx = QParser.QuantifierContext(self, self._ctx, self.state)
        self.enterRule(localctx, 10, self.RULE_quantifier)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 104
            localctx.kind = self._input.LT(1)
            _la = self._input.LA(1)
            if not(_la==15 or _la==16):
                localctx.kind = self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
            self.state = 105
            self.match(QParser.LPAREN)
            self.state = 106
            self.path()
            self.state = 107
            self.match(QParser.COMMA)
            self.state = 108
            self.or_expr()
            self.state = 109
            self.match(QParser.RPAREN)
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class Cmp_opContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def EQ(self):
            return self.getToken(QParser.EQ, 0)

        def NE(self):
            return self.getToken(QParser.NE, 0)

        def LT(self):
            return self.getToken(QParser.LT, 0)

        def LE(self):
            return self.getToken(QParser.LE, 0)

        def GT(self):
            return self.getToken(QParser.GT, 0)

        def GE(self):
            return self.getToken(QParser.GE, 0)

        def getRuleIndex(self):
            return QParser.RULE_cmp_op

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitCmp_op" ):
                return visitor.visitCmp_op(self)
            else:
                return visitor.visitChildren(self)




    def cmp_op(self):

        localctx = QParser.Cmp_opContext(self, self._ctx, self.state)
        self.enterRule(localctx, 12, self.RULE_cmp_op)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 111
            _la = self._input.LA(1)
            if not((((_la) & ~0x3f) == 0 and ((1 << _la) & 270582939648) != 0)):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class OperandContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def value(self):
            return self.getTypedRuleContext(QParser.ValueContext,0)


        def path(self):
            return self.getTypedRuleContext(QParser.PathContext,0)


        def getRuleIndex(self):
            return QParser.RULE_operand

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitOperand" ):
                return visitor.visitOperand(self)
            else:
                return visitor.visitChildren(self)




    def operand(self):

        localctx = QParser.OperandContext(self, self._ctx, self.state)
        self.enterRule(localctx, 14, self.RULE_operand)
        try:
            self.state = 115
            self._errHandler.sync(self)
            token = self._input.LA(1)
            if token in [12, 13, 14, 17, 19, 21, 30]:
                self.enterOuterAlt(localctx, 1)
                self.state = 113
                self.value()
                pass
            elif token in [18]:
                self.enterOuterAlt(localctx, 2)
                self.state = 114
                self.path()
                pass
            else:
                raise NoViableAltException(self)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class ValueContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def STRING(self):
            return self.getToken(QParser.STRING, 0)

        def NUMBER(self):
            return self.getToken(QParser.NUMBER, 0)

        def MINUS(self):
            return self.getToken(QParser.MINUS, 0)

        def TRUE(self):
            return self.getToken(QParser.TRUE, 0)

        def FALSE(self):
            return self.getToken(QParser.FALSE, 0)

        def NULL(self):
            return self.getToken(QParser.NULL, 0)

        def time_expr(self):
            return self.getTypedRuleContext(QParser.Time_exprContext,0)


        def getRuleIndex(self):
            return QParser.RULE_value

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitValue" ):
                return visitor.visitValue(self)
            else:
                return visitor.visitChildren(self)




    def value(self):

        localctx = QParser.ValueContext(self, self._ctx, self.state)
        self.enterRule(localctx, 16, self.RULE_value)
        self._la = 0 # Token type
        try:
            self.state = 126
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,13,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 117
                self.match(QParser.STRING)
                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 119
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                if _la==30:
                    self.state = 118
                    self.match(QParser.MINUS)


                self.state = 121
                self.match(QParser.NUMBER)
                pass

            elif la_ == 3:
                self.enterOuterAlt(localctx, 3)
                self.state = 122
                self.match(QParser.TRUE)
                pass

            elif la_ == 4:
                self.enterOuterAlt(localctx, 4)
                self.state = 123
                self.match(QParser.FALSE)
                pass

            elif la_ == 5:
                self.enterOuterAlt(localctx, 5)
                self.state = 124
                self.match(QParser.NULL)
                pass

            elif la_ == 6:
                self.enterOuterAlt(localctx, 6)
                self.state = 125
                self.time_expr()
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class Time_exprContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def NOW(self):
            return self.getToken(QParser.NOW, 0)

        def LPAREN(self):
            return self.getToken(QParser.LPAREN, 0)

        def RPAREN(self):
            return self.getToken(QParser.RPAREN, 0)

        def STRING(self):
            return self.getToken(QParser.STRING, 0)

        def DURATION(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.DURATION)
            else:
                return self.getToken(QParser.DURATION, i)

        def PLUS(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.PLUS)
            else:
                return self.getToken(QParser.PLUS, i)

        def MINUS(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.MINUS)
            else:
                return self.getToken(QParser.MINUS, i)

        def getRuleIndex(self):
            return QParser.RULE_time_expr

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitTime_expr" ):
                return visitor.visitTime_expr(self)
            else:
                return visitor.visitChildren(self)




    def time_expr(self):

        localctx = QParser.Time_exprContext(self, self._ctx, self.state)
        self.enterRule(localctx, 18, self.RULE_time_expr)
        self._la = 0 # Token type
        try:
            self.state = 143
            self._errHandler.sync(self)
            la_ = self._interp.adaptivePredict(self._input,16,self._ctx)
            if la_ == 1:
                self.enterOuterAlt(localctx, 1)
                self.state = 132
                self._errHandler.sync(self)
                token = self._input.LA(1)
                if token in [17]:
                    self.state = 128
                    self.match(QParser.NOW)
                    self.state = 129
                    self.match(QParser.LPAREN)
                    self.state = 130
                    self.match(QParser.RPAREN)
                    pass
                elif token in [19]:
                    self.state = 131
                    self.match(QParser.STRING)
                    pass
                else:
                    raise NoViableAltException(self)

                self.state = 136
                self._errHandler.sync(self)
                _la = self._input.LA(1)
                while True:
                    self.state = 134
                    _la = self._input.LA(1)
                    if not(_la==30 or _la==31):
                        self._errHandler.recoverInline(self)
                    else:
                        self._errHandler.reportMatch(self)
                        self.consume()
                    self.state = 135
                    self.match(QParser.DURATION)
                    self.state = 138
                    self._errHandler.sync(self)
                    _la = self._input.LA(1)
                    if not (_la==30 or _la==31):
                        break

                pass

            elif la_ == 2:
                self.enterOuterAlt(localctx, 2)
                self.state = 140
                self.match(QParser.NOW)
                self.state = 141
                self.match(QParser.LPAREN)
                self.state = 142
                self.match(QParser.RPAREN)
                pass


        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class PathContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def IDENT(self):
            return self.getToken(QParser.IDENT, 0)

        def DOT(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.DOT)
            else:
                return self.getToken(QParser.DOT, i)

        def name(self, i:int=None):
            if i is None:
                return self.getTypedRuleContexts(QParser.NameContext)
            else:
                return self.getTypedRuleContext(QParser.NameContext,i)


        def LBRACKET(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.LBRACKET)
            else:
                return self.getToken(QParser.LBRACKET, i)

        def STRING(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.STRING)
            else:
                return self.getToken(QParser.STRING, i)

        def RBRACKET(self, i:int=None):
            if i is None:
                return self.getTokens(QParser.RBRACKET)
            else:
                return self.getToken(QParser.RBRACKET, i)

        def getRuleIndex(self):
            return QParser.RULE_path

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitPath" ):
                return visitor.visitPath(self)
            else:
                return visitor.visitChildren(self)




    def path(self):

        localctx = QParser.PathContext(self, self._ctx, self.state)
        self.enterRule(localctx, 20, self.RULE_path)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 145
            self.match(QParser.IDENT)
            self.state = 153
            self._errHandler.sync(self)
            _la = self._input.LA(1)
            while _la==26 or _la==29:
                self.state = 151
                self._errHandler.sync(self)
                token = self._input.LA(1)
                if token in [29]:
                    self.state = 146
                    self.match(QParser.DOT)
                    self.state = 147
                    self.name()
                    pass
                elif token in [26]:
                    self.state = 148
                    self.match(QParser.LBRACKET)
                    self.state = 149
                    self.match(QParser.STRING)
                    self.state = 150
                    self.match(QParser.RBRACKET)
                    pass
                else:
                    raise NoViableAltException(self)

                self.state = 155
                self._errHandler.sync(self)
                _la = self._input.LA(1)

        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx


    class NameContext(ParserRuleContext):
        __slots__ = 'parser'

        def __init__(self, parser, parent:ParserRuleContext=None, invokingState:int=-1):
            super().__init__(parent, invokingState)
            self.parser = parser

        def IDENT(self):
            return self.getToken(QParser.IDENT, 0)

        def AND(self):
            return self.getToken(QParser.AND, 0)

        def OR(self):
            return self.getToken(QParser.OR, 0)

        def NOT(self):
            return self.getToken(QParser.NOT, 0)

        def IN(self):
            return self.getToken(QParser.IN, 0)

        def BETWEEN(self):
            return self.getToken(QParser.BETWEEN, 0)

        def LIKE(self):
            return self.getToken(QParser.LIKE, 0)

        def ILIKE(self):
            return self.getToken(QParser.ILIKE, 0)

        def CONTAINS(self):
            return self.getToken(QParser.CONTAINS, 0)

        def STARTS_WITH(self):
            return self.getToken(QParser.STARTS_WITH, 0)

        def ENDS_WITH(self):
            return self.getToken(QParser.ENDS_WITH, 0)

        def IS(self):
            return self.getToken(QParser.IS, 0)

        def NULL(self):
            return self.getToken(QParser.NULL, 0)

        def TRUE(self):
            return self.getToken(QParser.TRUE, 0)

        def FALSE(self):
            return self.getToken(QParser.FALSE, 0)

        def ANY(self):
            return self.getToken(QParser.ANY, 0)

        def ALL(self):
            return self.getToken(QParser.ALL, 0)

        def NOW(self):
            return self.getToken(QParser.NOW, 0)

        def getRuleIndex(self):
            return QParser.RULE_name

        def accept(self, visitor:ParseTreeVisitor):
            if hasattr( visitor, "visitName" ):
                return visitor.visitName(self)
            else:
                return visitor.visitChildren(self)




    def name(self):

        localctx = QParser.NameContext(self, self._ctx, self.state)
        self.enterRule(localctx, 22, self.RULE_name)
        self._la = 0 # Token type
        try:
            self.enterOuterAlt(localctx, 1)
            self.state = 156
            _la = self._input.LA(1)
            if not((((_la) & ~0x3f) == 0 and ((1 << _la) & 524286) != 0)):
                self._errHandler.recoverInline(self)
            else:
                self._errHandler.reportMatch(self)
                self.consume()
        except RecognitionException as re:
            localctx.exception = re
            self._errHandler.reportError(self, re)
            self._errHandler.recover(self, re)
        finally:
            self.exitRule()
        return localctx





