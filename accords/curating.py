"""What keepers of a record do to its sources and the persons it names: attach the page
as it was, judge and undo where a source's text comes from, forget a person. The part of
accords.Record (api.py) that the capture, sources and erase commands call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from accords.events.errors import InputError
from accords.events.log import Appended, Draft, Log
from accords.events.store import Recorder

if TYPE_CHECKING:
    from accords.events.wirecopy import Suggestion


class Curating:
    """Record's methods for captures, derivations and persons (a mixin: it reads the
    Record's recorder and log)."""

    recorder: Recorder
    log: Log

    def capture(
        self,
        source: str,
        path: str | Path,
        *,
        captured: str | None = None,
        kind: str | None = None,
        note: str | None = None,
        dry_run: bool = False,
    ) -> Appended:
        """Attach a saved page (HTML, text, PDF or WARC; kind: guessed from the file's name
        and bytes) to a source: its bytes kept by their SHA-256 and a SourceCaptured event
        naming the hash, in one transaction. captured: when it was saved (default: today).
        A file that cannot be read as its kind is refused, nothing written."""
        from accords.events.captures import kind_of, sha256, text_of
        from accords.events.schema import MEDIA_TYPES

        where = Path(path)
        if not where.is_file():
            raise InputError(f"{where}: not a file", "give the page as you saved it: .html, .txt, .pdf or .warc")
        try:
            data = where.read_bytes()
        except OSError as e:
            raise InputError(f"{where}: cannot read it: {e.strerror}") from None
        if kind is not None and kind not in MEDIA_TYPES:
            raise InputError(f"{kind!r} is not a kind of capture", f"one of: {', '.join(MEDIA_TYPES)}")
        kind = kind or kind_of(where.name, data)
        text_of(data, kind, str(where))  # refused now if it cannot be read, not when a quote is looked for
        digest = sha256(data)
        body = {"source": source, "sha256": digest, "media_type": MEDIA_TYPES[kind]}
        body["captured"] = captured or dt.date.today().isoformat()
        if note is not None:
            body["note"] = note
        draft = Draft("SourceCaptured", body, where=str(where))
        return self.log.append([draft], commit=not dry_run, captures={digest: data})

    def erase(self, person: str, reason: str, *, dry_run: bool = False) -> tuple[Appended, str | None]:
        """Forget a person (events/personal.py): a PersonErased event, in whose transaction
        the person's key is destroyed; then the store's files and the RDF projection on disk
        are rid of it. Their data reads [erased] everywhere, and the chain and every proof
        still hold. Given again, it finishes what an interrupted erasure left (a store busy
        with a reader keeps the old pages until its next checkpoint). The answer says, if it
        could not, what is left to do."""
        from accords.events.personal import check_person

        person = check_person(person, "person")
        keys = self.recorder.person_keys()
        if person not in keys:
            raise InputError(
                f"no person {person} in {self.recorder.url}",
                "give the id a claim's persons give it, as accords show CLAIM prints them",
            )
        if keys[person] is None:
            appended = Appended(0, 1, self.recorder.head(), None)
        else:
            draft = Draft("PersonErased", {"person": person, "reason": reason})
            appended = self.log.append([draft], commit=not dry_run)
        if dry_run:
            return appended, None
        from accords.events.errors import StoreError
        from accords.graph.projection import default_location, open_projection

        try:
            self.recorder.scrub()
        except StoreError as e:
            return appended, e.message
        if default_location(self.recorder.url).exists():
            open_projection(self.recorder)  # a graph that held the person is built again
        return appended, None

    def suggest_derivations(self, threshold: int = 90) -> list[Suggestion]:
        """The derivations the record's sources suggest (events/wirecopy.py): a source that
        names a news agency, and claims about one thing whose quotes are near-duplicates
        (threshold: the least ratio of 100). Suggestions only: none is recorded."""
        from accords.events.wirecopy import suggest

        return suggest(self.log.read(), threshold)

    def judge_derivation(
        self,
        source: str,
        derived_from: list[str],
        reason: str,
        *,
        judged_by: str | None = None,
        key: str | None = None,
    ) -> Appended:
        """Record that a source carries the text of others (sources, or agencies as
        "actor/afp"), as judged_by judged it (default: who records), under key if given:
        from this seq on its copies count once. A suggestion becomes a fact this way."""
        body = {"source": source, "derived_from": derived_from, "reason": reason}
        return self.log.append(
            [Draft("DerivationJudged", body | {"judged_by": judged_by or self.log.recorded_by}, key)]
        )

    def undo_derivation(self, judgement: str, reason: str, *, judged_by: str | None = None) -> Appended:
        """Undo a judged derivation (by its key or id): its links go from this seq on."""
        body = {"judgement": judgement, "reason": reason, "judged_by": judged_by or self.log.recorded_by}
        return self.log.append([Draft("DerivationUndone", body)])
