// title: Claims attributed only to anonymous speakers
// description: Believed claims whose speaker is not named - officials, sources, people familiar, or no attribution at all - with the quote and the outlet.
MATCH (c:Claim)-[:ATTRIBUTED_TO]->(sp:Speaker), (c)-[:FROM]->(src:Source)
WHERE sp.name =~ '(?is).*(^|[^a-z])(officials?|sources?|people familiar|diplomats?|spokes(wo)?m[ae]n|aides?|insiders?|unattributed|no attribution|anonymous|unnamed)([^a-z]|$).*'
  AND c.seq <= $as_of AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
UNWIND c.types AS type
RETURN c.key AS key, c.iri AS claim, sp.name AS speaker, type, c.quote AS quote, src.title AS source
ORDER BY c.seq
