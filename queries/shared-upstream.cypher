// title: Sources that derive from the same upstream report
// description: Groups of sources that report on one upstream report or carry one agency's stories (directly or through other reports): they are not independent of each other. An agency (actor/afp) has no title.
// A source is in view when recorded by $as_of (publication and valid time place claims, not sources).
// a derivation holds at $as_of: declared with its source, or judged by then and not yet undone
MATCH (s:Source)-[links:DERIVED_FROM*1..]->(u)
WHERE s.seq <= $as_of AND all(d IN links WHERE coalesce(d.from_seq, 0) <= $as_of AND coalesce(d.until_seq, $as_of + 1) > $as_of)
WITH DISTINCT u, s
ORDER BY s.title
WITH u, count(s) AS sources, collect(DISTINCT s.title) AS titles
WHERE sources > 1
RETURN u.iri AS upstream, u.title AS upstream_title, sources,
       reduce(text = head(titles), t IN tail(titles) | text + ' | ' + t) AS titles
ORDER BY sources DESC, upstream_title
