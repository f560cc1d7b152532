// title: The latest word
// description: Where a side took a position more than once on one question (what its stances are on, or toward whom when on nothing in particular): its latest word by the publication of the sources, and the earlier words it supersedes, each as position (published; said on the day the stance gives, if it does) [claim; speaker], oldest first. A side is the state a stance speaks for - its government, ministries and officials alike - or, for a stance that names no state, its actor (an organisation, an opposition, a rival government recorded without a state). A word is superseded when a word of its side on the question was certainly published later (the first day its source's date can mean is after the last day of its own); the words that are not are the latest (several when they cannot be put in order: one day, an undated page). Nothing is hidden: trace shows every word and marks the latest.
// A claim is believed on the clocks ($as_of, $known_by, $valid_at) when in view, affirmed, and not yet
// retracted or corrected; each link of a stance is one this claim states (its id among the relationship's claims).
MATCH (c:Claim)-[pos:STATES {property: 'position'}]->(s:Entity)
WHERE c.seq <= $as_of
  AND ($known_by IS NULL OR c.published_latest <= $known_by)
  AND ($valid_at IS NULL OR (coalesce(c.valid_from <= $valid_at, true) AND coalesce(c.valid_until >= $valid_at, true)))
  AND c.polarity = 'affirmed' AND coalesce(c.retracted_seq, $as_of + 1) > $as_of
OPTIONAL MATCH (s)-[st:STATE]->(state:Entity) WHERE c.id IN st.claims
OPTIONAL MATCH (s)-[ac:ACTOR]->(actor:Entity) WHERE c.id IN ac.claims
OPTIONAL MATCH (s)-[o:ON]->(on:Entity) WHERE c.id IN o.claims
OPTIONAL MATCH (s)-[t:TOWARD]->(toward:Entity) WHERE c.id IN t.claims
WITH c, s, pos, coalesce(state.iri, actor.iri) AS side, coalesce(on.iri, toward.iri) AS question
WHERE side IS NOT NULL AND question IS NOT NULL
OPTIONAL MATCH (c)-[said:STATES {property: 'date'}]->(s)
MATCH (c)-[:FROM]->(src:Source)
MATCH (c)-[:ATTRIBUTED_TO]->(speaker:Speaker)
WITH DISTINCT side, question, c.published_earliest AS from, c.published_latest AS until,
     coalesce(c.key, 'claim/' + left(c.id, 12)) AS key,
     pos.value + ' (' + coalesce(src.published, 'undated') + coalesce('; said ' + toString(said.value), '') + ') ['
       + coalesce(c.key, 'claim/' + left(c.id, 12))
       + '; ' + speaker.name + ']' AS word
ORDER BY until, key, word
WITH side, question, collect({word: word, key: key, until: until, from: from}) AS words
// the newest first day of a dated word: the words certainly older than it are superseded (an undated page supersedes nothing)
WITH side, question, words,
     reduce(newest = null, w IN words | CASE WHEN w.from IS NOT NULL AND (newest IS NULL OR w.from > newest) THEN w.from ELSE newest END) AS newest
WITH side, question, [w IN words WHERE NOT coalesce(newest > w.until, false)] AS now,
     [w IN words WHERE coalesce(newest > w.until, false)] AS old
WHERE size(old) > 0
RETURN side, question,
       reduce(out = head(now).word, w IN tail(now) | out + ' | ' + w.word) AS latest,
       reduce(out = head(old).word, w IN tail(old) | out + ' | ' + w.word) AS supersedes,
       reduce(out = head(now).key, w IN tail(now) | out + ' ' + w.key) AS latest_claims,
       reduce(out = head(old).key, w IN tail(old) | out + ' ' + w.key) AS superseded_claims
ORDER BY side, question
