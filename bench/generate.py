"""A deterministic generator of realistic accords events, in the import format (JSONL).

    python bench/generate.py 100000 out.jsonl [--seed 1]

or, as a module, ``events(n, seed)``: an iterator of ``{"type", "key", "body"}`` dicts.

The mix: ~5% SourceRegistered (a fifth of them derived_from earlier sources), ~90%
ClaimRecorded (Agreement, Transfer, Payment, Stance, Request, ConditionReport statements
between real ISO 3166 states, EDTF valid_time, quotes of 100-300 characters), ~3%
ClaimRetracted and ~2% ClaimCorrected of earlier claims. Sources and claims carry keys;
references name earlier events by key. Most claims quote one of the last few sources,
as a person recording an article would. Events are produced one at a time: the only
state kept is counters and the sets of claims already retracted or corrected (a few
percent of n), so a million lines stream in constant-ish memory.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from typing import Any

import orjson

# Sending states (pressing others to take deportees) and receiving / transit states, by
# ISO 3166-1 alpha-2 code (XK: Kosovo, which accords accepts beyond ISO) and name.
SENDERS = {
    "US": "the United States",
    "GB": "Britain",
    "DE": "Germany",
    "NL": "the Netherlands",
    "DK": "Denmark",
    "IT": "Italy",
    "AU": "Australia",
    "BE": "Belgium",
}
RECEIVERS = {
    "RW": "Rwanda",
    "SV": "El Salvador",
    "CR": "Costa Rica",
    "PA": "Panama",
    "MX": "Mexico",
    "GT": "Guatemala",
    "HN": "Honduras",
    "SS": "South Sudan",
    "UG": "Uganda",
    "LY": "Libya",
    "KZ": "Kazakhstan",
    "UZ": "Uzbekistan",
    "XK": "Kosovo",
    "PY": "Paraguay",
    "AL": "Albania",
    "GH": "Ghana",
    "EC": "Ecuador",
    "SZ": "Eswatini",
    "PE": "Peru",
    "NR": "Nauru",
    "PG": "Papua New Guinea",
    "BT": "Bhutan",
    "MD": "Moldova",
    "BJ": "Benin",
    "AO": "Angola",
    "GQ": "Equatorial Guinea",
    "MR": "Mauritania",
    "TN": "Tunisia",
    "MA": "Morocco",
    "CO": "Colombia",
    "VE": "Venezuela",
    "DO": "the Dominican Republic",
}
NATIONALITIES = [
    "AF",
    "CN",
    "IN",
    "IR",
    "VN",
    "UZ",
    "RU",
    "CU",
    "VE",
    "HT",
    "NI",
    "ER",
    "SO",
    "SD",
    "PK",
    "BD",
    "NP",
    "KH",
    "LA",
    "JM",
    "MM",
    "GE",
    "TR",
    "YE",
    "SY",
]
PUBLISHERS = [
    ("Reuters", "www.reuters.com", "news"),
    ("Associated Press", "apnews.com", "news"),
    ("BBC News", "www.bbc.co.uk", "news"),
    ("The Guardian", "www.theguardian.com", "news"),
    ("The New York Times", "www.nytimes.com", "news"),
    ("The Washington Post", "www.washingtonpost.com", "news"),
    ("Al Jazeera", "www.aljazeera.com", "news"),
    ("El País", "elpais.com", "news"),
    ("Le Monde", "www.lemonde.fr", "news"),
    ("Der Spiegel", "www.spiegel.de", "news"),
    ("CBS News", "www.cbsnews.com", "news"),
    ("Politico", "www.politico.com", "news"),
    ("The New Humanitarian", "www.thenewhumanitarian.org", "news"),
    ("U.S. Department of State", "www.state.gov", "government"),
    ("Department of Homeland Security", "www.dhs.gov", "government"),
    ("UK Home Office", "www.gov.uk", "government"),
    ("Human Rights Watch", "www.hrw.org", "ngo"),
    ("Amnesty International", "www.amnesty.org", "ngo"),
    ("UNHCR", "www.unhcr.org", "intergovernmental"),
    ("IOM", "www.iom.int", "intergovernmental"),
    ("U.S. District Court for the District of Massachusetts", "www.courtlistener.com", "court"),
    ("Supreme Court of the United States", "www.supremecourt.gov", "court"),
]
AUTHORS = [
    "Ted Hesson",
    "Julia Ainsley",
    "Camilo Montoya-Galvez",
    "Rebecca Santana",
    "Hamed Aleaziz",
    "Nick Miroff",
    "Diane Taylor",
    "Rajeev Syal",
    "Elena Becatoros",
    "Mariana Oliveira",
    "Jorge Galindo",
    "Sophie Landrin",
    "Dimitri Lascaris",
]
SPEAKERS = [
    "U.S. officials",
    "a State Department spokesperson",
    "the Homeland Security Secretary",
    "the Home Secretary",
    "a government spokesperson",
    "the foreign minister",
    "the interior ministry",
    "two diplomats familiar with the talks",
    "an internal cable",
    "a senior administration official",
    "the president",
    "lawyers for the deportees",
    "a UNHCR spokesperson",
    "the court",
    "Reuters",
]
TOPICS = [
    "third-country deportations",
    "deportation deals",
    "migrant transfers",
    "a resettlement arrangement",
    "detention abroad",
    "removal flights",
    "the safe third country agreement",
    "offshore processing",
]
TITLE_FORMS = [
    "{s} seeks more countries to take deportees, {r} among them",
    "{r} agrees to accept deportees from {s} in exchange for aid",
    "Inside the talks over {topic} between {s} and {r}",
    "{r} says it has not agreed to take {s} deportees",
    "First flight of deportees from {s} lands in {r}",
    "Court halts {topic} to {r}",
    "{s} pays {r} millions to receive migrants, documents show",
    "Rights groups warn on conditions in {r} as {topic} grow",
]
SENTENCES = [
    "{r} has agreed to accept up to {n} people deported from {s} who are not its nationals",
    "officials in {r} said no agreement had been reached and that talks were continuing",
    "the arrangement was described as a memorandum of understanding signed in {month}",
    "{s} will pay {r} about {amount} million dollars to cover housing and integration",
    "a flight carrying {n} men from {nat} landed in {r} on {day} {month}",
    "{r} rejected the request, saying it would only take back its own citizens",
    "the cable, seen by reporters, asked {r} to take in people with criminal records",
    "the government of {r} is considering the proposal but has made no commitment",
    "lawyers said the men had not been told where they were being sent",
    "rights groups have documented arbitrary detention and abuse in {r}",
    "the deal mirrors an earlier arrangement between {s} and {r2}",
    "neither government would say how many people had been transferred so far",
    "the ministry denied that {r} had received any payment from {s}",
    "at least {k} countries were approached, according to two people familiar with the matter",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
NOTES = [
    "misread the quote",
    "wrong source attached",
    "the outlet corrected the story",
    "duplicate of an earlier claim",
    "speaker misattributed",
    "date was wrong",
    "legal request from the publisher",
    "the statement overstated the quote",
]
REASONS = ["source_correction", "recording_error", "legal", "other"]
KINDS_OTHER = ["report", "statement", "interview", "leaked_document", "social_media"]
CONDITIONS = [
    "conflict",
    "instability",
    "human_rights_violations",
    "detention_abuses",
    "persecution",
    "refoulement_risk",
    "humanitarian_crisis",
]
CHANNELS = ["diplomatic_cable", "diplomatic_note", "letter", "meeting", "phone_call", "public_statement", "undisclosed"]
REGIONS = ["Africa", "Central Asia", "Central America", "Eastern Europe", "the Balkans", "South America", "the Pacific"]


class _Gen:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.sources = 0
        self.claims = 0
        self.retracted: set[int] = set()
        self.corrected: set[int] = set()
        self.senders = list(SENDERS)
        self.receivers = list(RECEIVERS)

    # -- small pieces ---------------------------------------------------------------

    def date(self, lo: int = 2023, hi: int = 2025) -> str:
        """An EDTF date of varied precision: day, month, year, approximate, interval, open."""
        r = self.rnd
        y, m, d = r.randint(lo, hi), r.randint(1, 12), r.randint(1, 28)
        form = r.random()
        if form < 0.40:
            return f"{y}-{m:02d}-{d:02d}"
        if form < 0.70:
            return f"{y}-{m:02d}"
        if form < 0.78:
            return f"{y}"
        if form < 0.86:
            return f"{y}-{m:02d}~"
        if form < 0.94:
            m2 = min(12, m + r.randint(1, 4))
            return f"{y}-{m:02d}/{y}-{m2:02d}"
        return f"../{y}-{m:02d}-{d:02d}"

    def people(self) -> int | str:
        r = self.rnd
        n = r.choice([5, 8, 9, 12, 30, 50, 58, 100, 150, 200, 300, 1000])
        form = r.random()
        if form < 0.5:
            return n
        return r.choice([f"about {n}", f"at least {n}", f"up to {n}", f"more than {n}", str(n)])

    def pair(self) -> tuple[str, str]:
        return self.rnd.choice(self.senders), self.rnd.choice(self.receivers)

    def quote(self, s: str, r_: str) -> str:
        """Words of 100-300 characters from the sentence pool, about states s and r_."""
        r = self.rnd
        target = r.randint(100, 300)
        words = dict(
            s=SENDERS[s],
            r=RECEIVERS[r_],
            r2=RECEIVERS[r.choice(self.receivers)],
            n=r.choice([7, 8, 10, 30, 50, 58, 100, 200, 300]),
            k=r.choice([9, 12, 30, 58]),
            amount=r.choice([1, 2, 5, 6, 15, 100]),
            month=r.choice(MONTHS),
            day=r.randint(1, 28),
            nat=r.choice(["Afghanistan", "Vietnam", "Cuba", "Laos", "Jamaica", "Yemen", "Iran"]),
        )
        text = ""
        for sentence in r.sample(SENTENCES, len(SENTENCES)):
            sentence = sentence.format(**words)
            sentence = sentence[0].upper() + sentence[1:] + "."
            if len(text) + 1 + len(sentence) > 300:
                continue
            text = f"{text} {sentence}" if text else sentence
            if len(text) >= target:
                break
        return text

    def source_ref(self) -> str:
        """An earlier source: mostly one of the last five, sometimes any."""
        r = self.rnd
        if r.random() < 0.75:
            i = max(0, self.sources - 1 - int(r.expovariate(0.7)))
        else:
            i = r.randrange(self.sources)
        return f"src-{i:07d}"

    # -- statements -----------------------------------------------------------------

    def statement(self, s: str, r_: str) -> dict[str, Any]:
        r = self.rnd
        kind = r.random()
        if kind < 0.20:
            st: dict[str, Any] = {"@type": "Agreement", "parties": [f"state/{s}", f"state/{r_}"]}
            if r.random() < 0.6:
                st["@id"] = f"agreement/{s.lower()}-{r_.lower()}"
            if r.random() < 0.6:
                st["legal_form"] = r.choice(
                    [
                        "treaty",
                        "memorandum_of_understanding",
                        "exchange_of_notes",
                        "informal_arrangement",
                        "undisclosed",
                    ]
                )
            st["status"] = r.choice(["reported", "negotiating", "signed", "in_force", "suspended", "terminated"])
            if r.random() < 0.5:
                st["compensated"] = r.random() < 0.7
            if r.random() < 0.4:
                st["criminal_records"] = r.random() < 0.6
            if r.random() < 0.5:
                st["people"] = self.people()
            if r.random() < 0.3:
                st["nationalities"] = [f"state/{c}" for c in r.sample(NATIONALITIES, r.randint(1, 3))]
            if st["status"] in ("signed", "in_force", "suspended", "terminated") and r.random() < 0.7:
                st["signed"] = self.date()
            return st
        if kind < 0.40:
            st = {"@type": "Transfer", "from": f"state/{s}", "to": f"state/{r_}", "people": self.people()}
            if r.random() < 0.7:
                st["date"] = self.date()
            if r.random() < 0.2:
                st["via"] = [f"state/{r.choice(self.receivers)}"]
            if r.random() < 0.5:
                st["nationalities"] = [f"state/{c}" for c in r.sample(NATIONALITIES, r.randint(1, 4))]
            if r.random() < 0.4:
                st["criminal_records"] = r.random() < 0.7
            if r.random() < 0.4:
                st["agreement"] = f"agreement/{s.lower()}-{r_.lower()}"
            if r.random() < 0.3:
                st["@id"] = f"transfer/{s.lower()}-{r_.lower()}-{self.date(2025, 2025)[:7]}"
            return st
        if kind < 0.52:
            st = {"@type": "Payment", "payer": f"state/{s}", "payee": f"state/{r_}"}
            if r.random() < 0.7:
                n = r.choice([1, 2, 5, 6, 15, 100])
                st["amount"] = r.choice([f"about {n} million", f"{n}000000", f"up to {n} million", f"{n * 100000}"])
                st["currency"] = r.choice(["USD", "USD", "GBP", "EUR"])
            if r.random() < 0.6:
                st["date"] = self.date()
            if r.random() < 0.5:
                st["purpose"] = r.choice(
                    [
                        "taking in deportees",
                        "resettlement of deportees",
                        "border security",
                        "detention costs",
                        "reintegration support",
                    ]
                )
            if r.random() < 0.4:
                st["agreement"] = f"agreement/{s.lower()}-{r_.lower()}"
            return st
        if kind < 0.77:
            st = {
                "@type": "Stance",
                "state": f"state/{r_}",
                "position": r.choice(["willing", "considering", "resisting", "refused", "denied"]),
                "toward": f"state/{s}",
            }
            if r.random() < 0.3:
                st["formal"] = r.random() < 0.5
            if r.random() < 0.5:
                st["date"] = self.date()
            if r.random() < 0.2:
                st["on"] = f"request/{s.lower()}-cable-{r.randint(2023, 2025)}"
            return st
        if kind < 0.90:
            st = {"@type": "Request", "requester": f"state/{s}"}
            named = r.random() < 0.7
            if named:
                st["requested"] = [f"state/{c}" for c in r.sample(self.receivers, r.randint(1, 5))]
            if not named or r.random() < 0.3:  # whom it was asked of: named, or how many
                st["requested_count"] = self.people()
            if r.random() < 0.3:
                st["regions"] = r.sample(REGIONS, r.randint(1, 2))
            st["channel"] = r.choice(CHANNELS)
            if r.random() < 0.4:
                st["subject"] = r.choice(
                    [
                        "accept third-country deportees",
                        "accept third-country deportees, including people with criminal records",
                        "host people pending asylum decisions",
                    ]
                )
            return st
        st = {"@type": "ConditionReport", "state": f"state/{r_}"}
        st["conditions"] = r.choice(CONDITIONS) if r.random() < 0.3 else r.sample(CONDITIONS, r.randint(2, 4))
        if r.random() < 0.6:
            st["description"] = r.choice(
                [
                    "armed conflict and abuses in detention",
                    "reports of torture in prisons",
                    "no functioning asylum system",
                    "renewed fighting in the capital",
                ]
            )
        return st

    # -- events ---------------------------------------------------------------------

    def source(self) -> dict[str, Any]:
        r = self.rnd
        i = self.sources
        publisher, domain, kind = r.choice(PUBLISHERS)
        if r.random() < 0.05:
            kind = r.choice(KINDS_OTHER)
        s, r_ = self.pair()
        title = r.choice(TITLE_FORMS).format(s=SENDERS[s], r=RECEIVERS[r_], topic=r.choice(TOPICS))
        title = title[0].upper() + title[1:]
        year = r.randint(2023, 2025)
        slug = "-".join(w.strip(",").lower() for w in title.split()[:8])
        body: dict[str, Any] = {
            "url": f"https://{domain}/{year}/{slug}-{i}",
            "title": title,
            "publisher": publisher,
            "published": f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
            "kind": kind,
        }
        if r.random() < 0.5:
            body["author"] = r.choice(AUTHORS)
        if r.random() < 0.3:
            body["language"] = r.choice(["en", "en", "es", "fr", "de"])
        if r.random() < 0.2:
            body["retrieved"] = f"2025-{r.randint(1, 9):02d}-{r.randint(1, 28):02d}"
        if r.random() < 0.15:
            body["archive_url"] = f"https://web.archive.org/web/2025/{body['url']}"
        if i > 0 and r.random() < 0.2:
            body["derived_from"] = sorted({self.source_ref() for _ in range(r.randint(1, 2))})
        self.sources += 1
        return {"type": "SourceRegistered", "key": f"src-{i:07d}", "body": body}

    def claim(self) -> dict[str, Any]:
        r = self.rnd
        i = self.claims
        s, r_ = self.pair()
        body: dict[str, Any] = {
            "source": self.source_ref(),
            "quote": self.quote(s, r_),
            "attributed_to": r.choice(SPEAKERS),
            "statement": self.statement(s, r_),
            "certainty": r.choices(["confirmed", "reported", "alleged", "rumoured"], [3, 10, 3, 1])[0],
        }
        if r.random() < 0.9:
            body["valid_time"] = self.date()
        p = r.random()
        if p < 0.25:
            body["polarity"] = "affirmed"
        elif p < 0.30:
            body["polarity"] = "denied"
        if r.random() < 0.1:
            start = r.randint(0, 4000)
            body["selector"] = {"type": "TextPositionSelector", "start": start, "end": start + len(body["quote"])}
        if r.random() < 0.05:
            body["note"] = r.choice(
                [
                    "paraphrased in the headline",
                    "quote translated from Spanish",
                    "figure given in a follow-up interview",
                ]
            )
        self.claims += 1
        return {"type": "ClaimRecorded", "key": f"c-{i:07d}", "body": body}

    def _unused_claim(self, used: set[int], below: int) -> int | None:
        for _ in range(20):
            i = self.rnd.randrange(below)
            if i not in used:
                used.add(i)
                return i
        return None

    def retraction(self) -> dict[str, Any] | None:
        i = self._unused_claim(self.retracted, self.claims)
        if i is None:
            return None
        r = self.rnd
        body: dict[str, Any] = {"claim": f"c-{i:07d}", "reason": r.choice(REASONS)}
        if r.random() < 0.6:
            body["note"] = r.choice(NOTES)
        if r.random() < 0.2:
            body["source"] = self.source_ref()
        return {"type": "ClaimRetracted", "body": body}

    def correction(self) -> dict[str, Any] | None:
        # The claim corrected is older; its replacement is a claim recorded since.
        if self.claims < 2:
            return None
        i = self._unused_claim(self.corrected, self.claims - 1)
        if i is None:
            return None
        r = self.rnd
        replacement = r.randint(i + 1, self.claims - 1)
        body: dict[str, Any] = {
            "claim": f"c-{i:07d}",
            "replacement": f"c-{replacement:07d}",
            "reason": r.choice(REASONS),
        }
        if r.random() < 0.7:
            body["note"] = r.choice(NOTES)
        return {"type": "ClaimCorrected", "body": body}

    def next(self) -> dict[str, Any]:
        if self.sources == 0:
            return self.source()
        x = self.rnd.random()
        if x < 0.05:
            return self.source()
        if x >= 0.95 and self.claims > 0:
            event = self.retraction() if x < 0.98 else self.correction()
            if event is not None:
                return event
        return self.claim()


def events(n: int, seed: int = 1) -> Iterator[dict[str, Any]]:
    """n events as {"type", "key", "body"} dicts, the same for the same n and seed."""
    gen = _Gen(seed)
    for _ in range(n):
        yield gen.next()


def write(n: int, path: str, seed: int = 1) -> int:
    """Write n events as JSONL to path ("-": stdout); returns the bytes written."""
    out = sys.stdout.buffer if path == "-" else open(path, "wb")
    size = 0
    try:
        for event in events(n, seed):
            line = orjson.dumps(event) + b"\n"
            out.write(line)
            size += len(line)
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    return size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many events")
    parser.add_argument("output", help="the JSONL file to write (- for stdout)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write(args.n, args.output, args.seed)


if __name__ == "__main__":
    main()
