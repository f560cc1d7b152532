"""SHACL shapes compiled to Python checks: fast enough to run on every appended claim.

The shapes stay the only source of the rules: ``compile_shapes`` reads a shapes graph
and turns each shape into closures for exactly the SHACL constructs our shapes use
(SHACL §2 targets, §4 core constraints listed in SUPPORTED, §5 SPARQL constraints,
SHACL-AF §5.1 SPARQL targets). Anything else in the sh: namespace is refused when the
shapes are compiled, never skipped silently. A test holds the results equal to
pyshacl's on every fixture.

The checks read data through ``Data``: the triples of one statement (``TripleData``)
here, a pyoxigraph store in graph.validation, which also runs the SPARQL constraints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import Node as RdfNode
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from accords.events.errors import InputError
from accords.ontology import constraints
from accords.ontology.constraints import XSD, Check, Data
from accords.ontology.expansion import Term, Triple
from accords.ontology.vocabulary import shared_statement_shapes

SHACL = str(SH)
RDF_TYPE = ox.NamedNode(str(RDF.type))
SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_NONE: set[Term] = set()  # "no nodes", shared so that lookups build no set: never add to it

SUPPORTED = frozenset(
    SHACL + name
    for name in (
        "NodeShape",
        "PropertyShape",
        "targetClass",
        "targetSubjectsOf",
        "targetObjectsOf",
        "targetNode",
        "target",
        "SPARQLTarget",
        "closed",
        "ignoredProperties",
        "property",
        "path",
        "minCount",
        "maxCount",
        "datatype",
        "pattern",
        "nodeKind",
        "in",
        "minInclusive",
        "disjoint",
        "or",
        "class",
        "message",
        "severity",
        "sparql",
        "select",
        "prefixes",
        "declare",
        "prefix",
        "namespace",
        "name",
        "description",
        "order",
        "group",
        "Violation",
        "Warning",
        "Info",
        "IRI",
        "BlankNode",
        "Literal",
        "BlankNodeOrIRI",
        "BlankNodeOrLiteral",
        "IRIOrLiteral",
        "SPARQLConstraint",
        "PrefixDeclaration",
    )
)
"""Every sh: term the compiler understands; a shape using any other is refused."""


class ShapeError(InputError):
    """A shapes graph the compiler cannot honour (a construct it does not implement)."""


@dataclass(frozen=True, slots=True)
class Result:
    """One validation result (SHACL §3.6): focus node, path, value, severity, message."""

    shape: str
    focus: Term
    path: ox.NamedNode | None
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    value: Term | None = None
    constraint: str = ""  # the constraint component, such as "MinCount" or "SPARQL"
    details: tuple[tuple[str, Term], ...] = ()  # other bindings of a SPARQL result


class TripleData:
    """The triples of one statement, indexed; IRIs minted for unnamed nodes count as blank."""

    def __init__(self, triples: Iterable[Triple], blank: str | None = None) -> None:
        index: dict[Term, dict[ox.NamedNode, list[Term]]] = {}
        typed: dict[Term, set[Term]] = {}
        present: set[ox.NamedNode] = set()
        for s, p, o in triples:  # a statement has a few triples: build no dict or list twice
            present.add(p)
            props = index.get(s)
            if props is None:
                props = index[s] = {}
            values = props.get(p)
            if values is None:
                props[p] = [o]
            elif o not in values:
                values.append(o)
            if p == RDF_TYPE:
                typed.setdefault(o, set()).add(s)
        self.index, self.typed, self.present = index, typed, present
        self.subclass = any(SUBCLASS in props for props in index.values())
        self.blank = blank

    def values(self, node: Term, path: ox.NamedNode) -> list[Term]:
        props = self.index.get(node)
        return props.get(path, []) if props else []

    def outgoing(self, node: Term) -> list[tuple[ox.NamedNode, Term]]:
        return [(p, o) for p, values in self.index.get(node, {}).items() for o in values]

    def predicates(self, node: Term) -> Iterable[ox.NamedNode]:
        props = self.index.get(node)
        return props.keys() if props else ()

    def subjects_of(self, predicate: ox.NamedNode) -> set[Term]:
        if predicate not in self.present:  # most target predicates are in no statement
            return _NONE
        return {s for s, props in self.index.items() if predicate in props}

    def objects_of(self, predicate: ox.NamedNode) -> set[Term]:
        if predicate not in self.present:
            return _NONE
        return {o for props in self.index.values() for o in props.get(predicate, [])}

    def _classes(self, cls: ox.NamedNode) -> set[Term]:
        found: set[Term] = {cls}
        todo: list[Term] = [cls]
        while todo:
            current = todo.pop()
            for s, props in self.index.items():
                if current in props.get(SUBCLASS, []) and s not in found:
                    found.add(s)
                    todo.append(s)
        return found

    def instances(self, cls: ox.NamedNode) -> set[Term]:
        if not self.subclass:
            return self.typed.get(cls, _NONE)
        return {s for c in self._classes(cls) for s in self.typed.get(c, ())}

    def is_instance(self, node: Term, cls: ox.NamedNode) -> bool:
        return node in self.instances(cls)

    def is_blank(self, node: Term) -> bool:
        if isinstance(node, ox.BlankNode):
            return True
        b = self.blank
        return b is not None and isinstance(node, ox.NamedNode) and (node.value == b or node.value.startswith(b + "-"))


# -- compiling --------------------------------------------------------------------------


def _to_ox(node: RdfNode) -> Term:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        datatype = node.datatype or URIRef(XSD + "string")
        return ox.Literal(str(node), datatype=ox.NamedNode(str(datatype)))
    raise ShapeError(f"cannot read {node!r} in a shapes graph")


@dataclass
class Sparql:
    """One SHACL-SPARQL constraint (§5): a SELECT with $this, and its message."""

    select: str
    message: str | None


@dataclass
class Shape:
    """One compiled shape: a node shape, or a property shape with its path."""

    iri: str
    path: ox.NamedNode | None = None
    severity: str = "Violation"
    message: str | None = None
    targets: list[tuple[str, Term | str]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    closed: frozenset[ox.NamedNode] | None = None
    sparql: list[Sparql] = field(default_factory=list)
    needs_values: bool = True  # False when some check fails on an empty value set
    _plan: tuple[dict[ox.NamedNode | None, list[Shape]], list[Shape]] | None = None
    classes: frozenset[Term] | None = None  # its target classes, when it has no other targets

    def conforms(self, data: Data, focus: Term) -> bool:
        """Whether focus conforms (for sh:or): its own checks and its property shapes."""
        return not self.run(data, focus, [], first=True)

    def evaluate(self, data: Data, focus: Term) -> list[Result]:
        """The core results for focus (SPARQL constraints run in graph.validation)."""
        out: list[Result] = []
        self.run(data, focus, out)
        return out

    def run(self, data: Data, focus: Term, out: list[Result], first: bool = False) -> bool:
        """Append focus's core results to out; with first, stop at one. True if any."""
        values = data.values(focus, self.path) if self.path is not None else [focus]
        found = False
        if values or not self.needs_values:
            for check in self.checks:
                for value, component in check(data, focus, values):
                    out.append(
                        Result(
                            self.iri,
                            focus,
                            self.path,
                            self.severity,
                            self.message or f"{component} constraint not met",
                            value,
                            component,
                        )
                    )
                    if first:
                        return True
                    found = True
        if self.closed is not None:
            for predicate, obj in data.outgoing(focus):
                if predicate not in self.closed:
                    out.append(
                        Result(
                            self.iri,
                            focus,
                            predicate,
                            self.severity,
                            self.message or "Closed constraint not met",
                            obj,
                            "Closed",
                        )
                    )
                    if first:
                        return True
                    found = True
        if not self.properties:
            return found
        if self._plan is None:
            self._plan = _plan(self.properties)
        by_path, always = self._plan
        for value in values:
            for path in data.predicates(value):
                for prop in by_path.get(path, ()):
                    if prop.run(data, value, out, first):
                        if first:
                            return True
                        found = True
            for prop in always:
                if prop.run(data, value, out, first):
                    if first:
                        return True
                    found = True
        return found


def _plan(properties: list[Shape]) -> tuple[dict[ox.NamedNode | None, list[Shape]], list[Shape]]:
    """Property shapes by path; those that can fail on a node without the path always run."""
    by_path: dict[ox.NamedNode | None, list[Shape]] = {}
    always = []
    for prop in properties:
        if prop.needs_values and prop.path is not None:
            by_path.setdefault(prop.path, []).append(prop)
        else:
            always.append(prop)
    return by_path, always


class _Compiler:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        self.shapes: dict[RdfNode, Shape] = {}

    def one(self, node: RdfNode, predicate: URIRef) -> RdfNode | None:
        values = list(self.g.objects(node, predicate))
        if len(values) > 1:
            raise ShapeError(f"{self.name(node)}: more than one {self.g.qname(predicate)}")
        return values[0] if values else None

    def name(self, node: RdfNode) -> str:
        return self.g.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else f"_:{node}"

    def refuse_unknown(self, node: RdfNode, seen: set[RdfNode]) -> None:
        if node in seen:
            return
        seen.add(node)
        for p, o in self.g.predicate_objects(node):
            for term in (p, o):
                if isinstance(term, URIRef) and str(term).startswith(SHACL) and str(term) not in SUPPORTED:
                    raise ShapeError(
                        f"{self.name(node)}: {self.g.qname(term)} is not supported by accords' shape compiler",
                        f"supported: {', '.join(sorted('sh:' + s[len(SHACL) :] for s in SUPPORTED))}",
                    )
            if isinstance(o, BNode) and p != RDF.first:
                self.refuse_unknown(o, seen)

    def compile(self) -> list[Shape]:
        roots = set(self.g.subjects(RDF.type, SH.NodeShape)) | set(self.g.subjects(RDF.type, SH.PropertyShape))
        for target in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target):
            roots |= set(self.g.subjects(target, None))
        for term in set(self.g.predicates()) | {o for o in self.g.objects() if isinstance(o, URIRef)}:
            if str(term).startswith(SHACL) and str(term) not in SUPPORTED:
                raise ShapeError(
                    f"{self.g.qname(str(term))} is not supported by accords' shape compiler",
                    "use the core constraints listed in accords.ontology.shapecheck.SUPPORTED, or sh:sparql",
                )
        for root in roots:
            self.refuse_unknown(root, set())
        return [self.shape(root) for root in sorted(roots, key=str)]

    def shape(self, node: RdfNode) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        g = self.g
        path = self.one(node, SH.path)
        if path is not None and not isinstance(path, URIRef):
            raise ShapeError(f"{self.name(node)}: only IRI paths are supported, not complex property paths")
        severity = self.one(node, SH.severity)
        message = self.one(node, SH.message)
        shape = Shape(
            iri=str(node) if isinstance(node, URIRef) else f"_:{node}",
            path=ox.NamedNode(str(path)) if path is not None else None,
            severity=str(severity).removeprefix(SHACL) if severity is not None else "Violation",
            message=str(message) if message is not None else None,
        )
        self.shapes[node] = shape
        for kind, predicate in (
            ("class", SH.targetClass),
            ("subjectsOf", SH.targetSubjectsOf),
            ("objectsOf", SH.targetObjectsOf),
            ("node", SH.targetNode),
        ):
            shape.targets += [(kind, _to_ox(t)) for t in g.objects(node, predicate)]
        for target in g.objects(node, SH.target):
            select = self.one(target, SH.select)
            if (target, RDF.type, SH.SPARQLTarget) not in g or select is None:
                raise ShapeError(
                    f"{self.name(node)}: only SPARQL targets (sh:SPARQLTarget with sh:select) are supported"
                )
            shape.targets.append(("select", self.prefixes(target) + str(select)))
        if shape.targets and all(kind == "class" for kind, _ in shape.targets):
            shape.classes = frozenset(term for _, term in shape.targets if not isinstance(term, str))
        self.constraints(node, shape)
        return shape

    def prefixes(self, node: RdfNode) -> str:
        """The PREFIX lines of sh:prefixes (SHACL §5.2.1), declared in the shapes graph."""
        lines = []
        for ontology in self.g.objects(node, SH.prefixes):
            for declaration in self.g.objects(ontology, SH.declare):
                prefix, namespace = self.one(declaration, SH.prefix), self.one(declaration, SH.namespace)
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
        return "".join(lines)

    def constraints(self, node: RdfNode, shape: Shape) -> None:
        g = self.g
        checks: list[Check] = []
        for count in g.objects(node, SH.minCount):
            checks.append(constraints.min_count(int(count)))  # type: ignore[call-overload]
            if int(count) > 0:  # type: ignore[call-overload]
                shape.needs_values = False
        for count in g.objects(node, SH.maxCount):
            checks.append(constraints.max_count(int(count)))  # type: ignore[call-overload]
        for datatype in g.objects(node, SH.datatype):
            checks.append(constraints.datatype(str(datatype)))
        for pattern in g.objects(node, SH.pattern):
            checks.append(constraints.pattern(re.compile(str(pattern))))
        for kind in g.objects(node, SH.nodeKind):
            checks.append(constraints.node_kind(str(kind).removeprefix(SHACL)))
        for items in g.objects(node, SH["in"]):
            checks.append(constraints.in_(frozenset(_to_ox(i) for i in Collection(g, items))))
        for low in g.objects(node, SH.minInclusive):
            bound = constraints.number(_to_ox(low))
            if bound is None:
                raise ShapeError(f"{self.name(node)}: sh:minInclusive must be a number or a date")
            checks.append(constraints.min_inclusive(bound))
        for other in g.objects(node, SH.disjoint):
            checks.append(constraints.disjoint(ox.NamedNode(str(other))))
        for cls in g.objects(node, SH["class"]):
            checks.append(constraints.class_(ox.NamedNode(str(cls))))
        for items in g.objects(node, SH["or"]):
            checks.append(constraints.or_([self.shape(member).conforms for member in Collection(g, items)]))
            shape.needs_values = False
        shape.checks = checks
        if (node, SH.closed, Literal(True)) in g:
            ignored = self.one(node, SH.ignoredProperties)
            allowed = {ox.NamedNode(str(p)) for p in Collection(g, ignored)} if ignored is not None else set()
            for prop in g.objects(node, SH.property):
                path = self.one(prop, SH.path)
                if path is not None:
                    allowed.add(ox.NamedNode(str(path)))
            shape.closed = frozenset(allowed)
        shape.properties = [self.shape(p) for p in sorted(g.objects(node, SH.property), key=str)]
        for constraint in g.objects(node, SH.sparql):
            select = self.one(constraint, SH.select)
            if select is None:
                raise ShapeError(
                    f"{self.name(node)}: a sh:sparql constraint needs sh:select (ASK validators are not supported)"
                )
            message = self.one(constraint, SH.message)
            shape.sparql.append(
                Sparql(self.prefixes(constraint) + str(select), str(message) if message is not None else None)
            )


# -- running ----------------------------------------------------------------------------


def compile_shapes(graph: Graph) -> list[Shape]:
    """The shapes of a graph as compiled checks; ShapeError for what is not supported."""
    return _Compiler(graph).compile()


def targets(shape: Shape, data: Data) -> set[Term]:
    """The focus nodes of a shape's core targets (SHACL §2.1.3); SPARQL targets run elsewhere.

    The result may be one of data's own sets: read it, never change it.
    """
    found: set[Term] = _NONE
    for kind, term in shape.targets:
        if kind == "class":
            nodes = data.instances(term)  # type: ignore[arg-type]
        elif kind == "subjectsOf":
            nodes = data.subjects_of(term)  # type: ignore[arg-type]
        elif kind == "objectsOf":
            nodes = data.objects_of(term)  # type: ignore[arg-type]
        elif kind == "node":
            nodes = {term}  # type: ignore[arg-type]
        else:
            continue
        # Statements hold one or two typed nodes: most shapes find none, so build no set.
        found = (found | nodes) if found and nodes else (found or nodes)
    return found


def check_data(shapes: Sequence[Shape], data: TripleData) -> list[Result]:
    """Every core result of shapes over data, in a stable order."""
    results: list[Result] = []
    for shape in shapes:
        if (
            not shape.targets
            or shape.classes is not None
            and not data.subclass
            and shape.classes.isdisjoint(data.typed)
        ):
            continue
        focus_nodes = targets(shape, data)
        if not focus_nodes:
            continue
        for focus in sorted(focus_nodes, key=str) if len(focus_nodes) > 1 else focus_nodes:
            results.extend(shape.evaluate(data, focus))
    return results


@cache
def statement_checks() -> tuple[Shape, ...]:
    """The statement shapes (shapes.ttl), compiled once."""
    shapes = tuple(compile_shapes(shared_statement_shapes()))
    if any(s.sparql or any(k == "select" for k, _ in s.targets) for s in shapes):
        raise ShapeError("shapes.ttl: statement shapes are checked without a store; no SPARQL")
    return shapes


def check_triples(triples: Iterable[Triple], blank: str | None = None) -> list[Result]:
    """Every statement-shape result for a statement's triples; empty when it conforms."""
    return check_data(statement_checks(), TripleData(triples, blank))
