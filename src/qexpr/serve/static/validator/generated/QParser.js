// Generated from grammar/Q.g4 by ANTLR 4.13.2 (clients/javascript/generate.py). Do not edit.
// jshint ignore: start
import antlr4 from 'antlr4';
const serializedATN = [4,1,46,159,2,0,7,0,2,1,7,1,2,2,7,2,2,3,7,3,2,4,7,
4,2,5,7,5,2,6,7,6,2,7,7,7,2,8,7,8,2,9,7,9,2,10,7,10,2,11,7,11,1,0,3,0,26,
8,0,1,0,1,0,1,1,1,1,1,1,5,1,33,8,1,10,1,12,1,36,9,1,1,2,1,2,1,2,5,2,41,8,
2,10,2,12,2,44,9,2,1,3,1,3,1,3,3,3,49,8,3,1,4,1,4,1,4,1,4,1,4,1,4,1,4,1,
4,1,4,1,4,1,4,3,4,62,8,4,1,4,1,4,1,4,1,4,1,4,5,4,69,8,4,10,4,12,4,72,9,4,
1,4,3,4,75,8,4,1,4,1,4,1,4,1,4,3,4,81,8,4,1,4,1,4,1,4,1,4,1,4,1,4,1,4,3,
4,90,8,4,1,4,1,4,1,4,1,4,1,4,1,4,3,4,98,8,4,1,4,1,4,1,4,3,4,103,8,4,1,5,
1,5,1,5,1,5,1,5,1,5,1,5,1,6,1,6,1,7,1,7,3,7,116,8,7,1,8,1,8,3,8,120,8,8,
1,8,1,8,1,8,1,8,1,8,3,8,127,8,8,1,9,1,9,1,9,1,9,3,9,133,8,9,1,9,1,9,4,9,
137,8,9,11,9,12,9,138,1,9,1,9,1,9,3,9,144,8,9,1,10,1,10,1,10,1,10,1,10,1,
10,5,10,152,8,10,10,10,12,10,155,9,10,1,11,1,11,1,11,0,0,12,0,2,4,6,8,10,
12,14,16,18,20,22,0,5,1,0,6,10,1,0,15,16,1,0,32,37,1,0,30,31,1,0,1,18,175,
0,25,1,0,0,0,2,29,1,0,0,0,4,37,1,0,0,0,6,48,1,0,0,0,8,102,1,0,0,0,10,104,
1,0,0,0,12,111,1,0,0,0,14,115,1,0,0,0,16,126,1,0,0,0,18,143,1,0,0,0,20,145,
1,0,0,0,22,156,1,0,0,0,24,26,3,2,1,0,25,24,1,0,0,0,25,26,1,0,0,0,26,27,1,
0,0,0,27,28,5,0,0,1,28,1,1,0,0,0,29,34,3,4,2,0,30,31,5,2,0,0,31,33,3,4,2,
0,32,30,1,0,0,0,33,36,1,0,0,0,34,32,1,0,0,0,34,35,1,0,0,0,35,3,1,0,0,0,36,
34,1,0,0,0,37,42,3,6,3,0,38,39,5,1,0,0,39,41,3,6,3,0,40,38,1,0,0,0,41,44,
1,0,0,0,42,40,1,0,0,0,42,43,1,0,0,0,43,5,1,0,0,0,44,42,1,0,0,0,45,46,5,3,
0,0,46,49,3,6,3,0,47,49,3,8,4,0,48,45,1,0,0,0,48,47,1,0,0,0,49,7,1,0,0,0,
50,51,5,24,0,0,51,52,3,2,1,0,52,53,5,25,0,0,53,103,1,0,0,0,54,103,3,10,5,
0,55,56,3,20,10,0,56,57,3,12,6,0,57,58,3,14,7,0,58,103,1,0,0,0,59,61,3,20,
10,0,60,62,5,3,0,0,61,60,1,0,0,0,61,62,1,0,0,0,62,63,1,0,0,0,63,64,5,4,0,
0,64,65,5,24,0,0,65,70,3,16,8,0,66,67,5,28,0,0,67,69,3,16,8,0,68,66,1,0,
0,0,69,72,1,0,0,0,70,68,1,0,0,0,70,71,1,0,0,0,71,74,1,0,0,0,72,70,1,0,0,
0,73,75,5,28,0,0,74,73,1,0,0,0,74,75,1,0,0,0,75,76,1,0,0,0,76,77,5,25,0,
0,77,103,1,0,0,0,78,80,3,20,10,0,79,81,5,3,0,0,80,79,1,0,0,0,80,81,1,0,0,
0,81,82,1,0,0,0,82,83,5,5,0,0,83,84,3,16,8,0,84,85,5,1,0,0,85,86,3,16,8,
0,86,103,1,0,0,0,87,89,3,20,10,0,88,90,5,3,0,0,89,88,1,0,0,0,89,90,1,0,0,
0,90,91,1,0,0,0,91,92,7,0,0,0,92,93,5,19,0,0,93,103,1,0,0,0,94,95,3,20,10,
0,95,97,5,11,0,0,96,98,5,3,0,0,97,96,1,0,0,0,97,98,1,0,0,0,98,99,1,0,0,0,
99,100,5,12,0,0,100,103,1,0,0,0,101,103,3,20,10,0,102,50,1,0,0,0,102,54,
1,0,0,0,102,55,1,0,0,0,102,59,1,0,0,0,102,78,1,0,0,0,102,87,1,0,0,0,102,
94,1,0,0,0,102,101,1,0,0,0,103,9,1,0,0,0,104,105,7,1,0,0,105,106,5,24,0,
0,106,107,3,20,10,0,107,108,5,28,0,0,108,109,3,2,1,0,109,110,5,25,0,0,110,
11,1,0,0,0,111,112,7,2,0,0,112,13,1,0,0,0,113,116,3,16,8,0,114,116,3,20,
10,0,115,113,1,0,0,0,115,114,1,0,0,0,116,15,1,0,0,0,117,127,5,19,0,0,118,
120,5,30,0,0,119,118,1,0,0,0,119,120,1,0,0,0,120,121,1,0,0,0,121,127,5,21,
0,0,122,127,5,13,0,0,123,127,5,14,0,0,124,127,5,12,0,0,125,127,3,18,9,0,
126,117,1,0,0,0,126,119,1,0,0,0,126,122,1,0,0,0,126,123,1,0,0,0,126,124,
1,0,0,0,126,125,1,0,0,0,127,17,1,0,0,0,128,129,5,17,0,0,129,130,5,24,0,0,
130,133,5,25,0,0,131,133,5,19,0,0,132,128,1,0,0,0,132,131,1,0,0,0,133,136,
1,0,0,0,134,135,7,3,0,0,135,137,5,22,0,0,136,134,1,0,0,0,137,138,1,0,0,0,
138,136,1,0,0,0,138,139,1,0,0,0,139,144,1,0,0,0,140,141,5,17,0,0,141,142,
5,24,0,0,142,144,5,25,0,0,143,132,1,0,0,0,143,140,1,0,0,0,144,19,1,0,0,0,
145,153,5,18,0,0,146,147,5,29,0,0,147,152,3,22,11,0,148,149,5,26,0,0,149,
150,5,19,0,0,150,152,5,27,0,0,151,146,1,0,0,0,151,148,1,0,0,0,152,155,1,
0,0,0,153,151,1,0,0,0,153,154,1,0,0,0,154,21,1,0,0,0,155,153,1,0,0,0,156,
157,7,4,0,0,157,23,1,0,0,0,19,25,34,42,48,61,70,74,80,89,97,102,115,119,
126,132,138,143,151,153];


const atn = new antlr4.atn.ATNDeserializer().deserialize(serializedATN);

const decisionsToDFA = atn.decisionToState.map( (ds, index) => new antlr4.dfa.DFA(ds, index) );

const sharedContextCache = new antlr4.atn.PredictionContextCache();

export default class QParser extends antlr4.Parser {

    static grammarFileName = "Q.g4";
    static literalNames = [ null, null, null, null, null, null, null, null,
                            null, null, null, null, null, null, null, null,
                            null, null, null, null, null, null, null, null,
                            "'('", "')'", "'['", "']'", "','", "'.'", "'-'",
                            "'+'", "'='", "'!='", "'<'", "'<='", "'>'",
                            "'>='", "'=='", "'<>'", "'&&'", "'||'", "'!'",
                            "'&'", "'|'" ];
    static symbolicNames = [ null, "AND", "OR", "NOT", "IN", "BETWEEN",
                             "LIKE", "ILIKE", "CONTAINS", "STARTS_WITH",
                             "ENDS_WITH", "IS", "NULL", "TRUE", "FALSE",
                             "ANY", "ALL", "NOW", "IDENT", "STRING", "BAD_STRING",
                             "NUMBER", "DURATION", "BAD_NUMBER", "LPAREN",
                             "RPAREN", "LBRACKET", "RBRACKET", "COMMA",
                             "DOT", "MINUS", "PLUS", "EQ", "NE", "LT", "LE",
                             "GT", "GE", "FOREIGN_EQ", "FOREIGN_NE", "FOREIGN_ANDAND",
                             "FOREIGN_OROR", "FOREIGN_NOT", "FOREIGN_AND",
                             "FOREIGN_OR", "WS", "ERROR_CHAR" ];
    static ruleNames = [ "query", "or_expr", "and_expr", "not_expr", "predicate",
                         "quantifier", "cmp_op", "operand", "value", "time_expr",
                         "path", "name" ];

    constructor(input) {
        super(input);
        this._interp = new antlr4.atn.ParserATNSimulator(this, atn, decisionsToDFA, sharedContextCache);
        this.ruleNames = QParser.ruleNames;
        this.literalNames = QParser.literalNames;
        this.symbolicNames = QParser.symbolicNames;
    }



	query() {
	    let localctx = new QueryContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 0, QParser.RULE_query);
	    var _la = 0;
	    try {
	        this.enterOuterAlt(localctx, 1);
	        this.state = 25;
	        this._errHandler.sync(this);
	        _la = this._input.LA(1);
	        if((((_la) & ~0x1f) === 0 && ((1 << _la) & 17137672) !== 0)) {
	            this.state = 24;
	            this.or_expr();
	        }

	        this.state = 27;
	        this.match(QParser.EOF);
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	or_expr() {
	    let localctx = new Or_exprContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 2, QParser.RULE_or_expr);
	    var _la = 0;
	    try {
	        this.enterOuterAlt(localctx, 1);
	        this.state = 29;
	        this.and_expr();
	        this.state = 34;
	        this._errHandler.sync(this);
	        _la = this._input.LA(1);
	        while(_la===2) {
	            this.state = 30;
	            this.match(QParser.OR);
	            this.state = 31;
	            this.and_expr();
	            this.state = 36;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	and_expr() {
	    let localctx = new And_exprContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 4, QParser.RULE_and_expr);
	    var _la = 0;
	    try {
	        this.enterOuterAlt(localctx, 1);
	        this.state = 37;
	        this.not_expr();
	        this.state = 42;
	        this._errHandler.sync(this);
	        _la = this._input.LA(1);
	        while(_la===1) {
	            this.state = 38;
	            this.match(QParser.AND);
	            this.state = 39;
	            this.not_expr();
	            this.state = 44;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	not_expr() {
	    let localctx = new Not_exprContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 6, QParser.RULE_not_expr);
	    try {
	        this.state = 48;
	        this._errHandler.sync(this);
	        switch(this._input.LA(1)) {
	        case 3:
	            this.enterOuterAlt(localctx, 1);
	            this.state = 45;
	            this.match(QParser.NOT);
	            this.state = 46;
	            this.not_expr();
	            break;
	        case 15:
	        case 16:
	        case 18:
	        case 24:
	            this.enterOuterAlt(localctx, 2);
	            this.state = 47;
	            this.predicate();
	            break;
	        default:
	            throw new antlr4.error.NoViableAltException(this);
	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	predicate() {
	    let localctx = new PredicateContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 8, QParser.RULE_predicate);
	    var _la = 0;
	    try {
	        this.state = 102;
	        this._errHandler.sync(this);
	        var la_ = this._interp.adaptivePredict(this._input,10,this._ctx);
	        switch(la_) {
	        case 1:
	            localctx = new ParenExprContext(this, localctx);
	            this.enterOuterAlt(localctx, 1);
	            this.state = 50;
	            this.match(QParser.LPAREN);
	            this.state = 51;
	            this.or_expr();
	            this.state = 52;
	            this.match(QParser.RPAREN);
	            break;

	        case 2:
	            localctx = new QuantifiedPredicateContext(this, localctx);
	            this.enterOuterAlt(localctx, 2);
	            this.state = 54;
	            this.quantifier();
	            break;

	        case 3:
	            localctx = new ComparisonContext(this, localctx);
	            this.enterOuterAlt(localctx, 3);
	            this.state = 55;
	            this.path();
	            this.state = 56;
	            this.cmp_op();
	            this.state = 57;
	            this.operand();
	            break;

	        case 4:
	            localctx = new InListContext(this, localctx);
	            this.enterOuterAlt(localctx, 4);
	            this.state = 59;
	            this.path();
	            this.state = 61;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	            if(_la===3) {
	                this.state = 60;
	                this.match(QParser.NOT);
	            }

	            this.state = 63;
	            this.match(QParser.IN);
	            this.state = 64;
	            this.match(QParser.LPAREN);
	            this.state = 65;
	            this.value();
	            this.state = 70;
	            this._errHandler.sync(this);
	            var _alt = this._interp.adaptivePredict(this._input,5,this._ctx)
	            while(_alt!=2 && _alt!=antlr4.atn.ATN.INVALID_ALT_NUMBER) {
	                if(_alt===1) {
	                    this.state = 66;
	                    this.match(QParser.COMMA);
	                    this.state = 67;
	                    this.value();
	                }
	                this.state = 72;
	                this._errHandler.sync(this);
	                _alt = this._interp.adaptivePredict(this._input,5,this._ctx);
	            }

	            this.state = 74;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	            if(_la===28) {
	                this.state = 73;
	                this.match(QParser.COMMA);
	            }

	            this.state = 76;
	            this.match(QParser.RPAREN);
	            break;

	        case 5:
	            localctx = new BetweenContext(this, localctx);
	            this.enterOuterAlt(localctx, 5);
	            this.state = 78;
	            this.path();
	            this.state = 80;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	            if(_la===3) {
	                this.state = 79;
	                this.match(QParser.NOT);
	            }

	            this.state = 82;
	            this.match(QParser.BETWEEN);
	            this.state = 83;
	            localctx.low = this.value();
	            this.state = 84;
	            this.match(QParser.AND);
	            this.state = 85;
	            localctx.high = this.value();
	            break;

	        case 6:
	            localctx = new PatternMatchContext(this, localctx);
	            this.enterOuterAlt(localctx, 6);
	            this.state = 87;
	            this.path();
	            this.state = 89;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	            if(_la===3) {
	                this.state = 88;
	                this.match(QParser.NOT);
	            }

	            this.state = 91;
	            localctx.op = this._input.LT(1);
	            _la = this._input.LA(1);
	            if(!((((_la) & ~0x1f) === 0 && ((1 << _la) & 1984) !== 0))) {
	                localctx.op = this._errHandler.recoverInline(this);
	            }
	            else {
	            	this._errHandler.reportMatch(this);
	                this.consume();
	            }
	            this.state = 92;
	            this.match(QParser.STRING);
	            break;

	        case 7:
	            localctx = new IsNullContext(this, localctx);
	            this.enterOuterAlt(localctx, 7);
	            this.state = 94;
	            this.path();
	            this.state = 95;
	            this.match(QParser.IS);
	            this.state = 97;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	            if(_la===3) {
	                this.state = 96;
	                this.match(QParser.NOT);
	            }

	            this.state = 99;
	            this.match(QParser.NULL);
	            break;

	        case 8:
	            localctx = new BooleanFieldContext(this, localctx);
	            this.enterOuterAlt(localctx, 8);
	            this.state = 101;
	            this.path();
	            break;

	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	quantifier() {
	    let localctx = new QuantifierContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 10, QParser.RULE_quantifier);
	    var _la = 0;
	    try {
	        this.enterOuterAlt(localctx, 1);
	        this.state = 104;
	        localctx.kind = this._input.LT(1);
	        _la = this._input.LA(1);
	        if(!(_la===15 || _la===16)) {
	            localctx.kind = this._errHandler.recoverInline(this);
	        }
	        else {
	        	this._errHandler.reportMatch(this);
	            this.consume();
	        }
	        this.state = 105;
	        this.match(QParser.LPAREN);
	        this.state = 106;
	        this.path();
	        this.state = 107;
	        this.match(QParser.COMMA);
	        this.state = 108;
	        this.or_expr();
	        this.state = 109;
	        this.match(QParser.RPAREN);
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	cmp_op() {
	    let localctx = new Cmp_opContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 12, QParser.RULE_cmp_op);
	    var _la = 0;
	    try {
	        this.enterOuterAlt(localctx, 1);
	        this.state = 111;
	        _la = this._input.LA(1);
	        if(!(((((_la - 32)) & ~0x1f) === 0 && ((1 << (_la - 32)) & 63) !== 0))) {
	        this._errHandler.recoverInline(this);
	        }
	        else {
	        	this._errHandler.reportMatch(this);
	            this.consume();
	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	operand() {
	    let localctx = new OperandContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 14, QParser.RULE_operand);
	    try {
	        this.state = 115;
	        this._errHandler.sync(this);
	        switch(this._input.LA(1)) {
	        case 12:
	        case 13:
	        case 14:
	        case 17:
	        case 19:
	        case 21:
	        case 30:
	            this.enterOuterAlt(localctx, 1);
	            this.state = 113;
	            this.value();
	            break;
	        case 18:
	            this.enterOuterAlt(localctx, 2);
	            this.state = 114;
	            this.path();
	            break;
	        default:
	            throw new antlr4.error.NoViableAltException(this);
	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	value() {
	    let localctx = new ValueContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 16, QParser.RULE_value);
	    var _la = 0;
	    try {
	        this.state = 126;
	        this._errHandler.sync(this);
	        var la_ = this._interp.adaptivePredict(this._input,13,this._ctx);
	        switch(la_) {
	        case 1:
	            this.enterOuterAlt(localctx, 1);
	            this.state = 117;
	            this.match(QParser.STRING);
	            break;

	        case 2:
	            this.enterOuterAlt(localctx, 2);
	            this.state = 119;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	            if(_la===30) {
	                this.state = 118;
	                this.match(QParser.MINUS);
	            }

	            this.state = 121;
	            this.match(QParser.NUMBER);
	            break;

	        case 3:
	            this.enterOuterAlt(localctx, 3);
	            this.state = 122;
	            this.match(QParser.TRUE);
	            break;

	        case 4:
	            this.enterOuterAlt(localctx, 4);
	            this.state = 123;
	            this.match(QParser.FALSE);
	            break;

	        case 5:
	            this.enterOuterAlt(localctx, 5);
	            this.state = 124;
	            this.match(QParser.NULL);
	            break;

	        case 6:
	            this.enterOuterAlt(localctx, 6);
	            this.state = 125;
	            this.time_expr();
	            break;

	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	time_expr() {
	    let localctx = new Time_exprContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 18, QParser.RULE_time_expr);
	    var _la = 0;
	    try {
	        this.state = 143;
	        this._errHandler.sync(this);
	        var la_ = this._interp.adaptivePredict(this._input,16,this._ctx);
	        switch(la_) {
	        case 1:
	            this.enterOuterAlt(localctx, 1);
	            this.state = 132;
	            this._errHandler.sync(this);
	            switch(this._input.LA(1)) {
	            case 17:
	                this.state = 128;
	                this.match(QParser.NOW);
	                this.state = 129;
	                this.match(QParser.LPAREN);
	                this.state = 130;
	                this.match(QParser.RPAREN);
	                break;
	            case 19:
	                this.state = 131;
	                this.match(QParser.STRING);
	                break;
	            default:
	                throw new antlr4.error.NoViableAltException(this);
	            }
	            this.state = 136;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	            do {
	                this.state = 134;
	                _la = this._input.LA(1);
	                if(!(_la===30 || _la===31)) {
	                this._errHandler.recoverInline(this);
	                }
	                else {
	                	this._errHandler.reportMatch(this);
	                    this.consume();
	                }
	                this.state = 135;
	                this.match(QParser.DURATION);
	                this.state = 138;
	                this._errHandler.sync(this);
	                _la = this._input.LA(1);
	            } while(_la===30 || _la===31);
	            break;

	        case 2:
	            this.enterOuterAlt(localctx, 2);
	            this.state = 140;
	            this.match(QParser.NOW);
	            this.state = 141;
	            this.match(QParser.LPAREN);
	            this.state = 142;
	            this.match(QParser.RPAREN);
	            break;

	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	path() {
	    let localctx = new PathContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 20, QParser.RULE_path);
	    var _la = 0;
	    try {
	        this.enterOuterAlt(localctx, 1);
	        this.state = 145;
	        this.match(QParser.IDENT);
	        this.state = 153;
	        this._errHandler.sync(this);
	        _la = this._input.LA(1);
	        while(_la===26 || _la===29) {
	            this.state = 151;
	            this._errHandler.sync(this);
	            switch(this._input.LA(1)) {
	            case 29:
	                this.state = 146;
	                this.match(QParser.DOT);
	                this.state = 147;
	                this.name();
	                break;
	            case 26:
	                this.state = 148;
	                this.match(QParser.LBRACKET);
	                this.state = 149;
	                this.match(QParser.STRING);
	                this.state = 150;
	                this.match(QParser.RBRACKET);
	                break;
	            default:
	                throw new antlr4.error.NoViableAltException(this);
	            }
	            this.state = 155;
	            this._errHandler.sync(this);
	            _la = this._input.LA(1);
	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}



	name() {
	    let localctx = new NameContext(this, this._ctx, this.state);
	    this.enterRule(localctx, 22, QParser.RULE_name);
	    var _la = 0;
	    try {
	        this.enterOuterAlt(localctx, 1);
	        this.state = 156;
	        _la = this._input.LA(1);
	        if(!((((_la) & ~0x1f) === 0 && ((1 << _la) & 524286) !== 0))) {
	        this._errHandler.recoverInline(this);
	        }
	        else {
	        	this._errHandler.reportMatch(this);
	            this.consume();
	        }
	    } catch (re) {
	    	if(re instanceof antlr4.error.RecognitionException) {
		        localctx.exception = re;
		        this._errHandler.reportError(this, re);
		        this._errHandler.recover(this, re);
		    } else {
		    	throw re;
		    }
	    } finally {
	        this.exitRule();
	    }
	    return localctx;
	}


}

QParser.EOF = antlr4.Token.EOF;
QParser.AND = 1;
QParser.OR = 2;
QParser.NOT = 3;
QParser.IN = 4;
QParser.BETWEEN = 5;
QParser.LIKE = 6;
QParser.ILIKE = 7;
QParser.CONTAINS = 8;
QParser.STARTS_WITH = 9;
QParser.ENDS_WITH = 10;
QParser.IS = 11;
QParser.NULL = 12;
QParser.TRUE = 13;
QParser.FALSE = 14;
QParser.ANY = 15;
QParser.ALL = 16;
QParser.NOW = 17;
QParser.IDENT = 18;
QParser.STRING = 19;
QParser.BAD_STRING = 20;
QParser.NUMBER = 21;
QParser.DURATION = 22;
QParser.BAD_NUMBER = 23;
QParser.LPAREN = 24;
QParser.RPAREN = 25;
QParser.LBRACKET = 26;
QParser.RBRACKET = 27;
QParser.COMMA = 28;
QParser.DOT = 29;
QParser.MINUS = 30;
QParser.PLUS = 31;
QParser.EQ = 32;
QParser.NE = 33;
QParser.LT = 34;
QParser.LE = 35;
QParser.GT = 36;
QParser.GE = 37;
QParser.FOREIGN_EQ = 38;
QParser.FOREIGN_NE = 39;
QParser.FOREIGN_ANDAND = 40;
QParser.FOREIGN_OROR = 41;
QParser.FOREIGN_NOT = 42;
QParser.FOREIGN_AND = 43;
QParser.FOREIGN_OR = 44;
QParser.WS = 45;
QParser.ERROR_CHAR = 46;

QParser.RULE_query = 0;
QParser.RULE_or_expr = 1;
QParser.RULE_and_expr = 2;
QParser.RULE_not_expr = 3;
QParser.RULE_predicate = 4;
QParser.RULE_quantifier = 5;
QParser.RULE_cmp_op = 6;
QParser.RULE_operand = 7;
QParser.RULE_value = 8;
QParser.RULE_time_expr = 9;
QParser.RULE_path = 10;
QParser.RULE_name = 11;

class QueryContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_query;
    }

	EOF() {
	    return this.getToken(QParser.EOF, 0);
	};

	or_expr() {
	    return this.getTypedRuleContext(Or_exprContext,0);
	};


}



class Or_exprContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_or_expr;
    }

	and_expr = function(i) {
	    if(i===undefined) {
	        i = null;
	    }
	    if(i===null) {
	        return this.getTypedRuleContexts(And_exprContext);
	    } else {
	        return this.getTypedRuleContext(And_exprContext,i);
	    }
	};

	OR = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.OR);
	    } else {
	        return this.getToken(QParser.OR, i);
	    }
	};



}



class And_exprContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_and_expr;
    }

	not_expr = function(i) {
	    if(i===undefined) {
	        i = null;
	    }
	    if(i===null) {
	        return this.getTypedRuleContexts(Not_exprContext);
	    } else {
	        return this.getTypedRuleContext(Not_exprContext,i);
	    }
	};

	AND = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.AND);
	    } else {
	        return this.getToken(QParser.AND, i);
	    }
	};



}



class Not_exprContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_not_expr;
    }

	NOT() {
	    return this.getToken(QParser.NOT, 0);
	};

	not_expr() {
	    return this.getTypedRuleContext(Not_exprContext,0);
	};

	predicate() {
	    return this.getTypedRuleContext(PredicateContext,0);
	};


}



class PredicateContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_predicate;
    }



		copyFrom(ctx) {
			super.copyFrom(ctx);
		}

}


class BooleanFieldContext extends PredicateContext {

    constructor(parser, ctx) {
        super(parser);
        super.copyFrom(ctx);
    }

	path() {
	    return this.getTypedRuleContext(PathContext,0);
	};


}

QParser.BooleanFieldContext = BooleanFieldContext;

class ComparisonContext extends PredicateContext {

    constructor(parser, ctx) {
        super(parser);
        super.copyFrom(ctx);
    }

	path() {
	    return this.getTypedRuleContext(PathContext,0);
	};

	cmp_op() {
	    return this.getTypedRuleContext(Cmp_opContext,0);
	};

	operand() {
	    return this.getTypedRuleContext(OperandContext,0);
	};


}

QParser.ComparisonContext = ComparisonContext;

class QuantifiedPredicateContext extends PredicateContext {

    constructor(parser, ctx) {
        super(parser);
        super.copyFrom(ctx);
    }

	quantifier() {
	    return this.getTypedRuleContext(QuantifierContext,0);
	};


}

QParser.QuantifiedPredicateContext = QuantifiedPredicateContext;

class InListContext extends PredicateContext {

    constructor(parser, ctx) {
        super(parser);
        super.copyFrom(ctx);
    }

	path() {
	    return this.getTypedRuleContext(PathContext,0);
	};

	IN() {
	    return this.getToken(QParser.IN, 0);
	};

	LPAREN() {
	    return this.getToken(QParser.LPAREN, 0);
	};

	value = function(i) {
	    if(i===undefined) {
	        i = null;
	    }
	    if(i===null) {
	        return this.getTypedRuleContexts(ValueContext);
	    } else {
	        return this.getTypedRuleContext(ValueContext,i);
	    }
	};

	RPAREN() {
	    return this.getToken(QParser.RPAREN, 0);
	};

	NOT() {
	    return this.getToken(QParser.NOT, 0);
	};

	COMMA = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.COMMA);
	    } else {
	        return this.getToken(QParser.COMMA, i);
	    }
	};



}

QParser.InListContext = InListContext;

class BetweenContext extends PredicateContext {

    constructor(parser, ctx) {
        super(parser);
        this.low = null;;
        this.high = null;;
        super.copyFrom(ctx);
    }

	path() {
	    return this.getTypedRuleContext(PathContext,0);
	};

	BETWEEN() {
	    return this.getToken(QParser.BETWEEN, 0);
	};

	AND() {
	    return this.getToken(QParser.AND, 0);
	};

	value = function(i) {
	    if(i===undefined) {
	        i = null;
	    }
	    if(i===null) {
	        return this.getTypedRuleContexts(ValueContext);
	    } else {
	        return this.getTypedRuleContext(ValueContext,i);
	    }
	};

	NOT() {
	    return this.getToken(QParser.NOT, 0);
	};


}

QParser.BetweenContext = BetweenContext;

class PatternMatchContext extends PredicateContext {

    constructor(parser, ctx) {
        super(parser);
        this.op = null;;
        super.copyFrom(ctx);
    }

	path() {
	    return this.getTypedRuleContext(PathContext,0);
	};

	STRING() {
	    return this.getToken(QParser.STRING, 0);
	};

	LIKE() {
	    return this.getToken(QParser.LIKE, 0);
	};

	ILIKE() {
	    return this.getToken(QParser.ILIKE, 0);
	};

	CONTAINS() {
	    return this.getToken(QParser.CONTAINS, 0);
	};

	STARTS_WITH() {
	    return this.getToken(QParser.STARTS_WITH, 0);
	};

	ENDS_WITH() {
	    return this.getToken(QParser.ENDS_WITH, 0);
	};

	NOT() {
	    return this.getToken(QParser.NOT, 0);
	};


}

QParser.PatternMatchContext = PatternMatchContext;

class IsNullContext extends PredicateContext {

    constructor(parser, ctx) {
        super(parser);
        super.copyFrom(ctx);
    }

	path() {
	    return this.getTypedRuleContext(PathContext,0);
	};

	IS() {
	    return this.getToken(QParser.IS, 0);
	};

	NULL() {
	    return this.getToken(QParser.NULL, 0);
	};

	NOT() {
	    return this.getToken(QParser.NOT, 0);
	};


}

QParser.IsNullContext = IsNullContext;

class ParenExprContext extends PredicateContext {

    constructor(parser, ctx) {
        super(parser);
        super.copyFrom(ctx);
    }

	LPAREN() {
	    return this.getToken(QParser.LPAREN, 0);
	};

	or_expr() {
	    return this.getTypedRuleContext(Or_exprContext,0);
	};

	RPAREN() {
	    return this.getToken(QParser.RPAREN, 0);
	};


}

QParser.ParenExprContext = ParenExprContext;

class QuantifierContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_quantifier;
        this.kind = null;
    }

	LPAREN() {
	    return this.getToken(QParser.LPAREN, 0);
	};

	path() {
	    return this.getTypedRuleContext(PathContext,0);
	};

	COMMA() {
	    return this.getToken(QParser.COMMA, 0);
	};

	or_expr() {
	    return this.getTypedRuleContext(Or_exprContext,0);
	};

	RPAREN() {
	    return this.getToken(QParser.RPAREN, 0);
	};

	ANY() {
	    return this.getToken(QParser.ANY, 0);
	};

	ALL() {
	    return this.getToken(QParser.ALL, 0);
	};


}



class Cmp_opContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_cmp_op;
    }

	EQ() {
	    return this.getToken(QParser.EQ, 0);
	};

	NE() {
	    return this.getToken(QParser.NE, 0);
	};

	LT() {
	    return this.getToken(QParser.LT, 0);
	};

	LE() {
	    return this.getToken(QParser.LE, 0);
	};

	GT() {
	    return this.getToken(QParser.GT, 0);
	};

	GE() {
	    return this.getToken(QParser.GE, 0);
	};


}



class OperandContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_operand;
    }

	value() {
	    return this.getTypedRuleContext(ValueContext,0);
	};

	path() {
	    return this.getTypedRuleContext(PathContext,0);
	};


}



class ValueContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_value;
    }

	STRING() {
	    return this.getToken(QParser.STRING, 0);
	};

	NUMBER() {
	    return this.getToken(QParser.NUMBER, 0);
	};

	MINUS() {
	    return this.getToken(QParser.MINUS, 0);
	};

	TRUE() {
	    return this.getToken(QParser.TRUE, 0);
	};

	FALSE() {
	    return this.getToken(QParser.FALSE, 0);
	};

	NULL() {
	    return this.getToken(QParser.NULL, 0);
	};

	time_expr() {
	    return this.getTypedRuleContext(Time_exprContext,0);
	};


}



class Time_exprContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_time_expr;
    }

	NOW() {
	    return this.getToken(QParser.NOW, 0);
	};

	LPAREN() {
	    return this.getToken(QParser.LPAREN, 0);
	};

	RPAREN() {
	    return this.getToken(QParser.RPAREN, 0);
	};

	STRING() {
	    return this.getToken(QParser.STRING, 0);
	};

	DURATION = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.DURATION);
	    } else {
	        return this.getToken(QParser.DURATION, i);
	    }
	};


	PLUS = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.PLUS);
	    } else {
	        return this.getToken(QParser.PLUS, i);
	    }
	};


	MINUS = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.MINUS);
	    } else {
	        return this.getToken(QParser.MINUS, i);
	    }
	};



}



class PathContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_path;
    }

	IDENT() {
	    return this.getToken(QParser.IDENT, 0);
	};

	DOT = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.DOT);
	    } else {
	        return this.getToken(QParser.DOT, i);
	    }
	};


	name = function(i) {
	    if(i===undefined) {
	        i = null;
	    }
	    if(i===null) {
	        return this.getTypedRuleContexts(NameContext);
	    } else {
	        return this.getTypedRuleContext(NameContext,i);
	    }
	};

	LBRACKET = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.LBRACKET);
	    } else {
	        return this.getToken(QParser.LBRACKET, i);
	    }
	};


	STRING = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.STRING);
	    } else {
	        return this.getToken(QParser.STRING, i);
	    }
	};


	RBRACKET = function(i) {
		if(i===undefined) {
			i = null;
		}
	    if(i===null) {
	        return this.getTokens(QParser.RBRACKET);
	    } else {
	        return this.getToken(QParser.RBRACKET, i);
	    }
	};



}



class NameContext extends antlr4.ParserRuleContext {

    constructor(parser, parent, invokingState) {
        if(parent===undefined) {
            parent = null;
        }
        if(invokingState===undefined || invokingState===null) {
            invokingState = -1;
        }
        super(parent, invokingState);
        this.parser = parser;
        this.ruleIndex = QParser.RULE_name;
    }

	IDENT() {
	    return this.getToken(QParser.IDENT, 0);
	};

	AND() {
	    return this.getToken(QParser.AND, 0);
	};

	OR() {
	    return this.getToken(QParser.OR, 0);
	};

	NOT() {
	    return this.getToken(QParser.NOT, 0);
	};

	IN() {
	    return this.getToken(QParser.IN, 0);
	};

	BETWEEN() {
	    return this.getToken(QParser.BETWEEN, 0);
	};

	LIKE() {
	    return this.getToken(QParser.LIKE, 0);
	};

	ILIKE() {
	    return this.getToken(QParser.ILIKE, 0);
	};

	CONTAINS() {
	    return this.getToken(QParser.CONTAINS, 0);
	};

	STARTS_WITH() {
	    return this.getToken(QParser.STARTS_WITH, 0);
	};

	ENDS_WITH() {
	    return this.getToken(QParser.ENDS_WITH, 0);
	};

	IS() {
	    return this.getToken(QParser.IS, 0);
	};

	NULL() {
	    return this.getToken(QParser.NULL, 0);
	};

	TRUE() {
	    return this.getToken(QParser.TRUE, 0);
	};

	FALSE() {
	    return this.getToken(QParser.FALSE, 0);
	};

	ANY() {
	    return this.getToken(QParser.ANY, 0);
	};

	ALL() {
	    return this.getToken(QParser.ALL, 0);
	};

	NOW() {
	    return this.getToken(QParser.NOW, 0);
	};


}




QParser.QueryContext = QueryContext;
QParser.Or_exprContext = Or_exprContext;
QParser.And_exprContext = And_exprContext;
QParser.Not_exprContext = Not_exprContext;
QParser.PredicateContext = PredicateContext;
QParser.QuantifierContext = QuantifierContext;
QParser.Cmp_opContext = Cmp_opContext;
QParser.OperandContext = OperandContext;
QParser.ValueContext = ValueContext;
QParser.Time_exprContext = Time_exprContext;
QParser.PathContext = PathContext;
QParser.NameContext = NameContext;
