"""One visitor mechanism shared by every stage: over syntax trees (canonical form, validation)
and over plans (SQL, predicates, every backend).

A visitor defines ``visit_<snake_case_node_name>`` methods, e.g. ``visit_comparison`` for
:class:`~qexpr.syntax.ast.Comparison` or ``visit_in_set`` for :class:`~qexpr.plan.nodes.InSet`.
Dispatch is a dictionary lookup cached per visitor class; a node class without a method of its
own uses the method of its nearest base class that has one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, ClassVar, Generic, TypeVar

R = TypeVar("R")

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def visit_method_name(node_type: type) -> str:
    """``Comparison`` -> ``visit_comparison``; ``PatternMatch`` -> ``visit_pattern_match``."""
    return "visit_" + _CAMEL.sub("_", node_type.__name__).lower()


class NodeVisitor(Generic[R]):
    """Dispatches on the node's class to ``visit_<name>``; unknown nodes go to ``generic_visit``."""

    _dispatch: ClassVar[dict[type, Callable[[Any, Any], Any]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._dispatch = {}

    def visit(self, node: Any) -> R:
        """Visit ``node`` with the method for its class."""
        node_type = type(node)
        try:
            method = self._dispatch[node_type]
        except (KeyError, AttributeError):
            method = self._visitor_method_for(node_type)
        return method(self, node)  # type: ignore[no-any-return]

    @classmethod
    def _visitor_method_for(cls, node_type: type) -> Callable[[Any, Any], Any]:
        method: Callable[[Any, Any], Any] | None = None
        for klass in node_type.__mro__:
            if klass is not object:
                method = getattr(cls, visit_method_name(klass), None)
                if method is not None:
                    break
        if method is None:
            method = cls.generic_visit
        if "_dispatch" not in cls.__dict__:
            cls._dispatch = {}
        cls._dispatch[node_type] = method
        return method

    def generic_visit(self, node: Any) -> R:
        """Called for nodes without a ``visit_`` method; the default refuses them."""
        raise TypeError(f"{type(self).__name__} cannot visit {type(node).__name__}")
