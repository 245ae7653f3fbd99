"""A fast, streaming Turtle writer for the catalog export.

rdflib's Turtle serializer sorts the whole graph and looks every IRI up in its
namespace manager, which takes most of the export time; this writer needs neither:
subjects are grouped with `;` and `,`, known namespaces become prefixed names, and
everything else is written as in N-Triples (which is valid Turtle). Blank node labels
come from rdflib's random ids, so they stay unique across the chunks of one file.
"""
from __future__ import annotations

import re
from typing import Iterable, TextIO

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_ESCAPE_RE = re.compile(r'[\\"\n\r\t]')


class TurtleWriter:
    def __init__(self, out: TextIO, prefixes: Iterable[tuple[str, str]]):
        self.out = out
        self.prefixes = {str(ns): prefix for prefix, ns in prefixes}

    def header(self) -> None:
        for ns, prefix in sorted(self.prefixes.items(), key=lambda x: x[1]):
            self.out.write(f"@prefix {prefix}: <{ns}> .\n")
        self.out.write("\n")

    def term(self, node) -> str:
        if isinstance(node, URIRef):
            if node == RDF.type:
                return "a"
            iri = str(node)
            cut = max(iri.rfind("#"), iri.rfind("/")) + 1
            prefix = self.prefixes.get(iri[:cut])
            if prefix is not None and _LOCAL.match(iri[cut:]):
                return f"{prefix}:{iri[cut:]}"
            return "<" + iri.replace(">", "%3E").replace(" ", "%20") + ">"
        if isinstance(node, BNode):
            return f"_:{node}"
        if isinstance(node, Literal):
            text = '"' + _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], str(node)) + '"'
            if node.language:
                return f"{text}@{node.language}"
            if node.datatype:
                return f"{text}^^{self.term(URIRef(node.datatype))}"
            return text
        raise TypeError(f"not an RDF term: {node!r}")

    def blocks(self, graph: Graph) -> list[str]:
        """One statement per subject ("s p o ; p o ."), in the graph's order."""
        by_subject: dict = {}
        for s, p, o in graph:
            by_subject.setdefault(s, {}).setdefault(p, []).append(o)
        lines = []
        for s, predicates in by_subject.items():
            parts = []
            for p in sorted(predicates, key=lambda p: (p != RDF.type, str(p))):
                objects = ", ".join(self.term(o) for o in predicates[p])
                parts.append(f"{self.term(p)} {objects}")
            lines.append(self.term(s) + " " + " ;\n    ".join(parts) + " .\n")
        return lines

    def write_blocks(self, blocks: Iterable[str]) -> None:
        self.out.write("\n".join(blocks))
        self.out.write("\n")

    def write(self, graph: Graph) -> None:
        self.write_blocks(self.blocks(graph))
