"""Completion for editors: what may be typed at a cursor position in q text.

>>> from qexpr.completion import complete
>>> [c.text for c in complete("duration_ms > 5 AN")]
['AND']
"""

from __future__ import annotations

from qexpr.completion.engine import complete
from qexpr.completion.model import KINDS, Completion, CompletionKind

__all__ = ["KINDS", "Completion", "CompletionKind", "complete"]
