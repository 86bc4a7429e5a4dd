#!/usr/bin/env python3
"""Keeps the shape of src/ that ARCHITECTURE (README, "Architecture") describes; run by
scripts/test.sh, exits 1 with one line per breach.

1. Layers: what lies below may not import what lies above it (the table LOWER_MAY_NOT_USE).
2. No transaction is opened or committed in src/routes: handlers call a write path.
3. No import cycle between modules (a module is a file; `crate::` and `super::` paths outside
   comments and test modules count, as does a `use` of a module's item).

Reads the source as text: no build needed, a second or so.
"""

import os
import re
import sys

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")

# Folder (or file) -> top-level modules it may not import.
ABOVE_THE_WEB = ["routes", "startup", "session", "auth", "state", "cli"]
LOWER_MAY_NOT_USE = {
    "domain": ABOVE_THE_WEB + ["db", "checks", "dns", "changes", "admin", "jobs", "outbox", "config"],
    "checks": ABOVE_THE_WEB + ["db", "changes", "admin", "jobs", "outbox"],
    "db": ABOVE_THE_WEB + ["checks", "dns", "changes", "admin", "jobs", "outbox"],
    "dns": ABOVE_THE_WEB + ["changes", "admin"],
    "outbox": ABOVE_THE_WEB + ["changes", "admin", "jobs"],
    "changes": ABOVE_THE_WEB + ["admin"],
    "admin": ABOVE_THE_WEB,
    # The catalogues are a leaf: anything may put a sentence into words.
    "i18n": ABOVE_THE_WEB + ["domain", "db", "checks", "dns", "changes", "admin", "jobs", "outbox", "config"],
}
TRANSACTION = re.compile(r"\b(begin_write|begin_publish|begin)\(\)|\.commit\(\)")


def modules():
    """Every module of src/ as (path tuple, file)."""
    found = {}
    for folder, _, files in os.walk(SRC):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            parts = os.path.relpath(path, SRC)[:-3].split(os.sep)
            if parts[-1] in ("mod", "lib", "main"):
                parts = parts[:-1]
            if parts and parts[-1] == "tests":
                continue
            found[tuple(parts)] = path
    return found


def code_of(path):
    """The file's text without comments and without its test module."""
    text = open(path, encoding="utf-8").read()
    text = re.split(r"#\[cfg\(test\)\]\s*mod tests\b", text)[0]
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def imports(module, code, known):
    """The modules `code` (of `module`) refers to."""
    def resolve(parts):
        for length in range(len(parts), 0, -1):
            if tuple(parts[:length]) in known:
                return tuple(parts[:length])
        return None

    found = set()
    paths = []
    for match in re.finditer(r"crate::((?:\w+::)*\w+)(::\{([^;]*?)\})?", code):
        base = match.group(1).split("::")
        paths.append(base)
        for inner in re.findall(r"(\w+(?:::\w+)*)", match.group(3) or ""):
            paths.append(base + inner.split("::"))
    for match in re.finditer(r"\bsuper::((?:\w+::)*\w+)", code):
        paths.append(list(module[:-1]) + match.group(1).split("::"))
    for path in paths:
        target = resolve(path)
        # A module's own submodules and its ancestors are its own business.
        if target and target != module and module[: len(target)] != target:
            found.add(target)
    return found


def cycles(graph):
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10_000)

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def main():
    known = modules()
    graph = {}
    breaches = []
    for module, path in sorted(known.items()):
        code = code_of(path)
        graph[module] = imports(module, code, known)
        shown = os.path.relpath(path, os.path.join(SRC, ".."))
        if module and module[0] in LOWER_MAY_NOT_USE:
            for target in sorted(graph[module]):
                if target[0] in LOWER_MAY_NOT_USE[module[0]]:
                    breaches.append(f"{shown}: {module[0]} may not use crate::{'::'.join(target)}")
        if module and module[0] == "routes":
            for number, line in enumerate(code.splitlines(), 1):
                if TRANSACTION.search(line):
                    breaches.append(f"{shown}:{number}: a transaction in a handler: {line.strip()}")
    for component in cycles(graph):
        names = ", ".join("::".join(module) or "crate" for module in component)
        breaches.append(f"an import cycle: {names}")
    for breach in breaches:
        print(breach, file=sys.stderr)
    if breaches:
        print(f"check-layers: {len(breaches)} breach(es) of the module layers", file=sys.stderr)
        return 1
    print(f"check-layers: {len(known)} modules, layers kept, no cycle, no transaction in routes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
