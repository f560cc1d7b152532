"""Graph shapes over the RDF projection: a full validation, and one of a few focus nodes,
with the judgement's disagreements as Info findings (graph/judgement.py).

The shapes (ontology/graph_shapes.ttl, plus any the user gives) are compiled by
ontology.shapecheck; core constraints read the store through ``StoreData`` (the union
of its graphs, as a SHACL engine reads a dataset), SPARQL constraints run in Oxigraph.
A full validation runs each SPARQL constraint once with $this unbound; a focus
validation pre-binds $this to each focus node (SHACL §5.3.1). A test holds the full
validation equal to pyshacl on every fixture, and one holds the focus validations of
`--over-time` equal to the full one at every step of generated histories.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from accords.events.errors import InputError
from accords.graph import judgement
from accords.graph.terms import ID, PROVENANCE, TYPE, Term, acc, short
from accords.ontology.shapecheck import Result, Shape, ShapeError, compile_shapes
from accords.ontology.vocabulary import ACCSH

SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
KEY = acc("key")


class StoreData:
    """The core constraints' view of a store: the union of all its graphs."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.classes: dict[ox.NamedNode, set[Term]] = {}
        self.types: dict[Term, set[Term]] = {}  # each node's rdf:types, read once per validation

    def values(self, node: Term, path: ox.NamedNode) -> list[Term]:
        if isinstance(node, ox.Literal):
            return []
        found: list[Term] = []
        for q in self.store.quads_for_pattern(node, path, None, None):
            if q.object not in found:
                found.append(q.object)  # type: ignore[arg-type]
        return found

    def outgoing(self, node: Term) -> list[tuple[ox.NamedNode, Term]]:
        if isinstance(node, ox.Literal):
            return []
        return list({(q.predicate, q.object): None for q in self.store.quads_for_pattern(node, None, None, None)})  # type: ignore[misc]

    def predicates(self, node: Term) -> Iterable[ox.NamedNode]:
        return {p for p, _ in self.outgoing(node)}

    def _subclasses(self, cls: ox.NamedNode) -> set[Term]:
        if cls not in self.classes:
            found: set[Term] = {cls}
            todo: list[Term] = [cls]
            while todo:
                for q in self.store.quads_for_pattern(None, SUBCLASS, todo.pop(), None):
                    if q.subject not in found:
                        found.add(q.subject)  # type: ignore[arg-type]
                        todo.append(q.subject)  # type: ignore[arg-type]
            self.classes[cls] = found
        return self.classes[cls]

    def instances(self, cls: ox.NamedNode) -> set[Term]:
        return {
            q.subject  # type: ignore[misc]
            for c in self._subclasses(cls)
            for q in self.store.quads_for_pattern(None, TYPE, c, None)
        }

    def is_instance(self, node: Term, cls: ox.NamedNode) -> bool:
        if isinstance(node, ox.Literal):
            return False
        if node not in self.types:
            self.types[node] = {q.object for q in self.store.quads_for_pattern(node, TYPE, None, None)}  # type: ignore[misc]
        return not self.types[node].isdisjoint(self._subclasses(cls))

    def forget(self) -> None:
        """Forget the types read so far: the store has changed."""
        self.types.clear()

    def subjects_of(self, predicate: ox.NamedNode) -> set[Term]:
        return {q.subject for q in self.store.quads_for_pattern(None, predicate, None, None)}  # type: ignore[misc]

    def objects_of(self, predicate: ox.NamedNode) -> set[Term]:
        return {q.object for q in self.store.quads_for_pattern(None, predicate, None, None)}  # type: ignore[misc]

    def is_blank(self, node: Term) -> bool:
        return isinstance(node, ox.BlankNode)

    def select(self, text: str) -> ox.QuerySolutions:
        result = self.store.query(text, use_default_graph_as_union=True)
        assert isinstance(result, ox.QuerySolutions)
        return result


@dataclass(frozen=True)
class GraphShape:
    """A compiled graph shape and which other focus nodes an event may change (accsh:dependents)."""

    shape: Shape
    dependents: str | None = None


@dataclass
class Shapes:
    """The graph shapes a validation runs."""

    shapes: list[GraphShape] = field(default_factory=list)

    def __add__(self, other: Shapes) -> Shapes:
        return Shapes(self.shapes + other.shapes)

    def owners(self) -> dict[str, str]:
        """Each shape, property shapes included, to the node shape a reader knows it by."""
        found: dict[str, str] = {}

        def walk(shape: Shape, owner: str) -> None:
            found.setdefault(shape.iri, owner)
            for prop in shape.properties:
                walk(prop, owner)

        for graph_shape in self.shapes:
            walk(graph_shape.shape, graph_shape.shape.iri)
        return found


def compile_graph_shapes(graph: Graph) -> Shapes:
    compiled = compile_shapes(graph)
    out = []
    for shape in compiled:
        if not (shape.targets or shape.sparql):
            continue  # a property shape or sh:or member, run through its node shape
        dependents = (
            graph.value(URIRef(shape.iri), URIRef(str(ACCSH) + "dependents"))
            if not shape.iri.startswith("_:")
            else None
        )
        out.append(GraphShape(shape, str(dependents) if dependents is not None else None))
    return Shapes(out)


@cache
def builtin_shapes() -> Shapes:
    """ontology/graph_shapes.ttl, compiled once."""
    text = files("accords.ontology").joinpath("graph_shapes.ttl").read_text(encoding="utf-8")
    return compile_graph_shapes(Graph().parse(data=text, format="turtle"))


def load_shapes(path: Path) -> Shapes:
    """A user's shapes file (Turtle); InputError naming the file and line when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read the shapes file: {e.strerror}") from None
    try:
        graph = Graph().parse(data=text, format="turtle")
    except BadSyntax as e:
        line = text.count("\n", 0, e._i) + 1  # rdflib's own line count is off by one
        raise InputError(f"{path}:{line}: Turtle syntax error: {e._why}", "the shapes file must be Turtle") from None
    except Exception as e:  # rdflib raises a zoo of types for bad literals and IRIs
        raise InputError(f"{path}: not readable as Turtle: {e}") from None
    try:
        return compile_graph_shapes(graph)
    except ShapeError as e:
        raise ShapeError(f"{path}: {e.message}", e.hint) from None


def prebound(select: str, node: Term, variable: str = "this") -> str:
    """The query with $this replaced by the focus node (SHACL §5.3.1 pre-binding).

    Oxigraph applies ``substitutions`` as a join after evaluating the pattern, which
    is 30 times slower here than a constant the optimizer sees. The node is an RDF term
    already validated by pyoxigraph and written in its N-Triples form, never user text.
    A constant is neither projected nor grouped by (neither is SPARQL), in the query or
    in a sub-select (which SHACL has project $this).
    """
    pattern = re.compile(r"[?$]" + variable + r"\b")

    def unproject(m: re.Match[str]) -> str:
        kept = pattern.sub("", m.group(2))
        return m.group(1) + (kept if kept.strip() else " * ")

    def ungroup(m: re.Match[str]) -> str:
        kept = pattern.sub("", m.group(1))
        return f"GROUP BY{kept}" if kept.strip() else ""

    text = re.sub(r"(SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?)(.*?)(?=\bWHERE\b|\{)", unproject, select, flags=re.S | re.I)
    text = re.sub(r"GROUP\s+BY((?:\s+[?$]\w+)+)", ungroup, text, flags=re.I)
    return pattern.sub(lambda _m: str(node), text)


def among(select: str, nodes: set[Term]) -> str:
    """The query with $this restricted to nodes: a VALUES block opening its WHERE pattern.

    Joined first, the values seed Oxigraph's lookups, as a constant does; the nodes are
    RDF terms written in their N-Triples form, never user text."""
    head, where, body = select.partition("WHERE")
    values = " ".join(str(n) for n in sorted(nodes, key=str) if not isinstance(n, ox.BlankNode))
    return head + where + body.replace("{", "{ VALUES ?this { " + values + " } ", 1)


def _message(template: str | None, row: dict[str, Term], name: Callable[[Term], str]) -> str:
    if template is None:
        return "SPARQL constraint not met"
    return re.sub(r"\{[?$](\w+)\}", lambda m: name(row[m.group(1)]) if m.group(1) in row else m.group(0), template)


class Validator:
    """Runs shapes over one store: all focus nodes, or some."""

    def __init__(self, store: ox.Store, shapes: Shapes | None = None) -> None:
        self.data = StoreData(store)
        self.shapes = shapes or builtin_shapes()

    def name(self, term: Term) -> str:
        """A term in a message: a claim or source by its key when it has one, else short."""
        if isinstance(term, ox.Literal):
            return term.value
        if not isinstance(term, ox.NamedNode):
            return str(term)
        if term.value.startswith((ID + "claim/", ID + "source/")):
            for q in self.data.store.quads_for_pattern(term, KEY, None, PROVENANCE):
                return str(q.object.value)  # type: ignore[union-attr]
        return short(term.value)

    def targets(self, shape: Shape) -> set[Term]:
        found: set[Term] = set()
        for kind, term in shape.targets:
            if kind == "class":
                found |= self.data.instances(term)  # type: ignore[arg-type]
            elif kind == "subjectsOf":
                found |= self.data.subjects_of(term)  # type: ignore[arg-type]
            elif kind == "objectsOf":
                found |= self.data.objects_of(term)  # type: ignore[arg-type]
            elif kind == "node":
                found.add(term)  # type: ignore[arg-type]
            else:
                found |= {row["this"] for row in self.data.select(term)}  # type: ignore[arg-type]
        return found

    def targets_among(self, shape: Shape, nodes: set[Term]) -> set[Term]:
        """Those of nodes that are focus nodes of the shape (a SPARQL target: one query for all)."""
        found: set[Term] = set()
        for kind, term in shape.targets:
            rest = nodes - found
            if kind == "class":
                found |= {n for n in rest if self.data.is_instance(n, term)}  # type: ignore[arg-type]
            elif kind == "subjectsOf":
                found |= {
                    n
                    for n in rest
                    if not isinstance(n, ox.Literal)
                    and next(iter(self.data.store.quads_for_pattern(n, term, None, None)), None)  # type: ignore[arg-type]
                }
            elif kind == "objectsOf":
                found |= {n for n in rest if next(iter(self.data.store.quads_for_pattern(None, term, n, None)), None)}  # type: ignore[arg-type]
            elif kind == "node":
                found |= rest & {term}
            elif rest:
                found |= {row["this"] for row in self.data.select(among(term, rest))}  # type: ignore[arg-type]
        return found

    def _rows(self, select: str, focus: set[Term], bind: bool) -> Iterable[dict[str, Term]]:
        runs = (
            [(n, self.data.select(prebound(select, n))) for n in sorted(focus, key=str)]
            if bind
            else [(None, self.data.select(select))]
        )
        for node, solutions in runs:
            names = [v.value for v in solutions.variables]
            for row in solutions:
                values = {name: term for name, term in zip(names, row) if term is not None}
                if node is not None:
                    values["this"] = node
                yield values

    def _sparql(self, shape: Shape, focus: set[Term], bind: bool) -> list[Result]:
        out = []
        for constraint in shape.sparql:
            for values in self._rows(constraint.select, focus, bind):
                this = values.get("this")
                if this is None or this not in focus:
                    continue
                path = values.get("path")
                value = values.get("value", this if shape.path is None else None)
                details = tuple(sorted((k, v) for k, v in values.items() if k not in ("this", "path", "value")))
                out.append(
                    Result(
                        shape.iri,
                        this,
                        path if isinstance(path, ox.NamedNode) else shape.path,
                        shape.severity,
                        _message(constraint.message, values, self.name),
                        value,
                        "SPARQL",
                        details,
                    )
                )
        return out

    def _check(self, graph_shape: GraphShape, focus: set[Term], bind: bool) -> list[Result]:
        shape = graph_shape.shape
        out: list[Result] = []
        if shape.checks or shape.properties or shape.closed is not None:
            for node in sorted(focus, key=str):
                shape.run(self.data, node, out)
        return out + self._sparql(shape, focus, bind)

    def validate(self) -> list[Result]:
        """Every result of every shape over the whole store, and every disagreement."""
        self.data.forget()
        results: list[Result] = [d.finding() for d in judgement.disagreements(self.data.store)]
        for graph_shape in self.shapes.shapes:
            results += self._check(graph_shape, self.targets(graph_shape.shape), bind=False)
        return unique(results)

    def validate_focus(
        self,
        touched: set[Term],
        changed: set[Term],
        recheck: dict[str, set[Term]],
    ) -> tuple[list[Result], dict[str, set[Term]]]:
        """The results for the focus nodes an event touched, those recheck names per shape
        (the focus nodes of open findings that name a touched node), and the shapes'
        dependents of the nodes whose believed statements changed (the ?changed of
        accsh:dependents); with, per shape, the focus nodes that were checked. (The
        judgement's disagreements are the walk's to judge: graph/timeline.py.)"""
        self.data.forget()
        touched = {n for n in touched if not isinstance(n, ox.Literal)}
        results: list[Result] = []
        checked: dict[str, set[Term]] = {}
        for graph_shape in self.shapes.shapes:
            shape = graph_shape.shape
            candidates = touched | recheck.get(shape.iri, set())
            if graph_shape.dependents is not None:
                for node in changed:
                    for row in self.data.select(prebound(graph_shape.dependents, node, "changed")):
                        if isinstance(row["this"], (ox.NamedNode, ox.BlankNode, ox.Literal)):
                            candidates.add(row["this"])
            whole = graph_shape.dependents is None and not _default_dependents(shape)
            if whole:
                candidates = self.targets(shape)  # a user shape: re-check it whole
            focus = candidates if whole else self.targets_among(shape, candidates)
            checked[shape.iri] = focus
            results += self._check(graph_shape, focus, bind=not whole)
        return unique(results), checked


def _default_dependents(shape: Shape) -> bool:
    """Built-in shapes need no more than the touched nodes and the open findings about them."""
    return shape.iri.startswith(str(ACCSH))


def unique(results: Sequence[Result]) -> list[Result]:
    """One result per shape, focus, path and value (pyshacl's de-duplication), sorted."""
    seen: dict[tuple[str, str, str, str], Result] = {}
    for r in results:
        seen.setdefault((r.shape, str(r.focus), str(r.path), str(r.value)), r)
    return sorted(seen.values(), key=lambda r: (_rank(r.severity), r.shape, str(r.focus), str(r.path), str(r.value)))


def _rank(severity: str) -> int:
    return {"Violation": 0, "Warning": 1, "Info": 2}.get(severity, 3)
