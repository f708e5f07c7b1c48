"""Parser engines: native (recursive descent), lark (LALR) and ANTLR, all producing one AST."""
