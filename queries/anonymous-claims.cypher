// title: Claims attributed only to anonymous speakers
// description: Believed claims whose speaker is not named - officials, sources, people familiar, or no attribution at all - with the quote and the outlet.
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet retracted or corrected.
MATCH (c:Claim)-[:ATTRIBUTED_TO]->(sp:Speaker), (c)-[:FROM]->(src:Source)
WHERE sp.name =~ '(?is).*(^|[^a-z])(officials?|sources?|people familiar|diplomats?|spokes(wo)?m[ae]n|aides?|insiders?|unattributed|no attribution|anonymous|unnamed)([^a-z]|$).*'
  AND c.seq <= $as_of
    AND ($known_by IS NULL OR c.published_latest <= $known_by)
    AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
    AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
UNWIND c.types AS type
RETURN c.key AS key, c.iri AS claim, sp.name AS speaker, type, c.quote AS quote, src.title AS source
ORDER BY c.seq
