"""The public surface of ``qexpr``: names resolve, and importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import qexpr


def test_every_public_name_resolves() -> None:
    for name in qexpr.__all__:
        assert getattr(qexpr, name) is not None, name


def test_import_is_lazy() -> None:
    code = (
        "import sys, qexpr\n"
        "heavy = [m for m in ('lark', 'antlr4', 'psycopg', 'sqlite3', 'qexpr.syntax.ast',"
        " 'qexpr.schema', 'qexpr.backends') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_function_names_are_not_shadowed_by_modules() -> None:
    import qexpr.completion
    import qexpr.quoting

    assert callable(qexpr.quote) and qexpr.quote("a") == '"a"'
    assert qexpr.complete is qexpr.completion.complete
    assert qexpr.parse("a = 1") == qexpr.parse("a=1")


def test_sqlalchemy_is_imported_only_on_use() -> None:
    code = (
        "import sys, qexpr\n"
        "f = qexpr.compile('cost > 1')\n"
        "before = 'sqlalchemy' in sys.modules\n"
        "md = qexpr.reference_metadata()\n"
        "print(before, 'sqlalchemy' in sys.modules, 'runs' in md.tables)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "True"]
