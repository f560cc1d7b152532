"""The projection written out as RDF files: TriG, N-Quads, Turtle, JSON-LD and PROV-O.

`all` is the dataset a SPARQL store loads to answer the named queries: what the record
believes as the default graph, and by name each claim's statement, graph:provenance and
graph:vocabulary. `belief` is the default graph alone. Turtle has no named graphs, so it
takes the belief only: a union of every claim graph would mix denied and retracted
statements in with what is believed. The dataset formats open with a comment saying so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox

from accords.events.errors import InputError
from accords.graph.projection import Projection
from accords.graph.terms import BELIEF, KEPT, META, PREFIXES

RDF_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}
GRAPHS = ("belief", "all")

# Claims and sources as prov:Entity, speakers, publishers and recorders as prov:Agent;
# each recording event is the prov:Activity that generated its claim or source (and
# shares its id), each retraction or correction the activity that invalidated a claim.
PROV_O = """
CONSTRUCT {
  ?entity a prov:Entity ; rdfs:label ?label ; prov:value ?quote ; prov:generatedAtTime ?at ;
          prov:wasDerivedFrom ?from ; prov:wasAttributedTo ?agent ;
          prov:wasGeneratedBy ?recording ; prov:wasInvalidatedBy ?invalidation ;
          prov:invalidatedAtTime ?invalidatedAt .
  ?recording a prov:Activity ; prov:endedAtTime ?at ; prov:wasAssociatedWith ?recorder .
  ?invalidation a prov:Activity ; prov:endedAtTime ?invalidatedAt ;
                prov:wasAssociatedWith ?recorder ; rdfs:comment ?note .
  ?agent a prov:Agent ; rdfs:label ?name .
  ?recorder a prov:Agent ; rdfs:label ?name .
} WHERE {
  GRAPH graph:provenance {
    { ?entity a acc:Claim ; acc:quote ?quote ; prov:generatedAtTime ?at .
      OPTIONAL { ?entity acc:key ?label } }
    UNION { ?entity a acc:Source ; dcterms:title ?label ; prov:generatedAtTime ?at }
    UNION { VALUES ?kind { acc:Claim acc:Source }
            ?entity a ?kind ; prov:wasDerivedFrom ?from }
    UNION { ?entity prov:wasAttributedTo|dcterms:publisher ?agent . ?agent rdfs:label ?name }
    UNION { VALUES ?kind { acc:Claim acc:Source }
            ?entity a ?kind ; acc:eventId ?id ; prov:generatedAtTime ?at ; acc:recordedBy ?recorder .
            ?recorder rdfs:label ?name .
            BIND(IRI(CONCAT(STR(id:), "event/", ?id)) AS ?recording) }
    UNION { ?entity prov:wasInvalidatedBy ?invalidation ; prov:invalidatedAtTime ?invalidatedAt .
            ?invalidation acc:recordedBy ?recorder . ?recorder rdfs:label ?name .
            OPTIONAL { ?invalidation schema:comment ?note } }
  }
}
"""


# The first lines of a TriG or N-Quads export: how to load it so that it answers as accords does.
LOADING = b"""\
# accords export{view}. The default graph is what the record believes; each claim's
# statement is a named graph of its own (graph:provenance says who said it, where, and
# whether it still stands). Load it with the named graphs kept apart: a store that unions
# them into its default graph brings back retracted and denied statements as if believed.
"""


def quads(projection: Projection, graph: str) -> Iterable[ox.Quad]:
    """The quads of the chosen graphs, the belief in the default graph: every graph (`all`)
    or the belief alone (`belief`)."""
    if graph not in GRAPHS:
        raise InputError(f"--graph: {graph!r} is not one of {', '.join(GRAPHS)}")
    default = ox.DefaultGraph()
    for quad in projection.store.quads_for_pattern(None, None, None, None if graph == "all" else BELIEF):
        if quad.graph_name == BELIEF:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, default)
        elif quad.graph_name not in (META, KEPT):  # how the projection stands, not what the record says
            yield quad


def write_rdf(projection: Projection, fmt: str, graph: str, output: IO[bytes], view: str = "") -> None:
    """Serialise the chosen graphs in fmt (trig, nquads, turtle or jsonld) to output; view
    names the point of the clocks it reflects, for the opening comment."""
    if fmt not in RDF_FORMATS:
        raise InputError(f"unknown RDF format {fmt!r}", f"one of {', '.join(RDF_FORMATS)}")
    rdf_format = RDF_FORMATS[fmt]
    if rdf_format == ox.RdfFormat.JSON_LD:
        _write_jsonld(quads(projection, graph), output)
        return
    if rdf_format.supports_datasets:
        if rdf_format in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            output.write(LOADING.replace(b"{view}", view.encode()))
        ox.serialize(quads(projection, graph), output, rdf_format, prefixes=PREFIXES)
        return
    if graph != "belief":
        raise InputError(
            f"{fmt} holds one graph, not the dataset",
            "use --graph belief, or --format trig / nquads / jsonld for every graph",
        )
    triples = (q.triple for q in quads(projection, graph))
    ox.serialize(triples, output, rdf_format, prefixes=PREFIXES)


def _write_jsonld(found: Iterable[ox.Quad], output: IO[bytes]) -> None:
    """JSON-LD compacted with the context statements are written in (ontology/context.jsonld):
    keys and values read as an import file's do. rdflib compacts (pyoxigraph writes expanded
    JSON-LD only), in memory: for a large record, N-Quads or TriG stream."""
    import rdflib

    from accords.ontology.vocabulary import context

    dataset = rdflib.Dataset()
    dataset.parse(data=ox.serialize(found, format=ox.RdfFormat.N_QUADS), format="nquads")
    output.write(dataset.serialize(format="json-ld", context=context(), auto_compact=True, encoding="utf-8"))


def write_prov(projection: Projection, output: IO[bytes]) -> None:
    """The provenance of every claim and source as a PROV-O document in Turtle."""
    result = projection.store.query(PROV_O, prefixes=PREFIXES)
    assert isinstance(result, ox.QueryTriples)
    ox.serialize(result, output, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
