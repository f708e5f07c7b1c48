# Generated from grammar/Q.g4 by ANTLR 4.13.2 (scripts/generate_antlr.py). Do not edit.
from antlr4 import *
if "." in __name__:
    from .QParser import QParser
else:
    from QParser import QParser

# This class defines a complete generic visitor for a parse tree produced by QParser.

class QVisitor(ParseTreeVisitor):

    # Visit a parse tree produced by QParser#query.
    def visitQuery(self, ctx:QParser.QueryContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#or_expr.
    def visitOr_expr(self, ctx:QParser.Or_exprContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#and_expr.
    def visitAnd_expr(self, ctx:QParser.And_exprContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#not_expr.
    def visitNot_expr(self, ctx:QParser.Not_exprContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#ParenExpr.
    def visitParenExpr(self, ctx:QParser.ParenExprContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#QuantifiedPredicate.
    def visitQuantifiedPredicate(self, ctx:QParser.QuantifiedPredicateContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#Comparison.
    def visitComparison(self, ctx:QParser.ComparisonContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#InList.
    def visitInList(self, ctx:QParser.InListContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#Between.
    def visitBetween(self, ctx:QParser.BetweenContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#PatternMatch.
    def visitPatternMatch(self, ctx:QParser.PatternMatchContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#IsNull.
    def visitIsNull(self, ctx:QParser.IsNullContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#BooleanField.
    def visitBooleanField(self, ctx:QParser.BooleanFieldContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#quantifier.
    def visitQuantifier(self, ctx:QParser.QuantifierContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#cmp_op.
    def visitCmp_op(self, ctx:QParser.Cmp_opContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#operand.
    def visitOperand(self, ctx:QParser.OperandContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#value.
    def visitValue(self, ctx:QParser.ValueContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#time_expr.
    def visitTime_expr(self, ctx:QParser.Time_exprContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#path.
    def visitPath(self, ctx:QParser.PathContext):
        return self.visitChildren(ctx)


    # Visit a parse tree produced by QParser#name.
    def visitName(self, ctx:QParser.NameContext):
        return self.visitChildren(ctx)



del QParser