"""Every security test says, in its docstring, the threat it covers (or that it is the sanity
case that lets the others fail).

Threat: a test whose purpose nobody can read is deleted or weakened the day it gets in the
way, and the hole it guarded reopens unnoticed.
"""

import ast
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_every_security_test_has_a_docstring():
    """Threat: a security test without a word on what it guards (see the module docstring)."""
    silent = []
    for path in sorted(HERE.glob("test_*.py")):
        for node in ast.parse(path.read_text()).body:
            is_test = isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
            if is_test and not ast.get_docstring(node):
                silent.append(f"{path.name}::{node.name}")
    assert not silent, f"Say the threat each covers, in its docstring: {silent}"
