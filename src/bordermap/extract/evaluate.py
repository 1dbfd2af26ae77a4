"""Scoring place-mention extraction on a labelled set of texts, beside a plain baseline.

Run ``python -m bordermap.extract.evaluate`` (``--errors`` lists every miss).
The labelled texts are ``bordermap/extract/gold/*.txt``: reports written for
this test set (not real reports, not the seed documents), each place mention
marked inline as ``[surface|id]``, where ``id`` is a gazetteer id
(``panjgur``, ``geonames:1167528``), ``country:ISO3``, ``frontier:NAME`` or
``unresolved`` (a place the gazetteer lacks: the system must not invent one).
Lines starting with ``#`` at the head are comments (``# border: ...``).
Offsets are those of the text with the markup removed.

Scores, over all texts (micro-averaged):

* **precision**: system mentions whose span equals a gold span, over all
  system mentions;
* **recall**: gold mentions found with their exact span, over all gold mentions;
* **resolution accuracy** (top-1): of the gold mentions found, those whose
  best candidate is the gold id (``unresolved`` gold: the system offers no
  candidate).

The **baseline** is a plain gazetteer string match: every run of up to six
words (any case) that is exactly a gazetteer name or alias, longest first,
resolved to the gazetteer's first-ranked place.

Examples
--------
>>> text, gold = parse_gold("# x\\nShelling near [Panjgur|panjgur] in [Pakistan|country:PAK].")
>>> text, [(g.start, g.end, g.id) for g in gold]
('Shelling near Panjgur in Pakistan.', [(14, 21, 'panjgur'), (25, 33, 'country:PAK')])
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["GOLD_DIR", "GoldMention", "Scores", "baseline_mentions", "evaluate", "parse_gold"]

GOLD_DIR = Path(__file__).with_name("gold")
_MARK_RE = re.compile(r"\[([^|\]\n]+)\|([^\]\n]+)\]")


@dataclass(frozen=True, slots=True)
class GoldMention:
    """A labelled mention: span in the plain text, surface, gold id (None: unresolved)."""

    start: int
    end: int
    text: str
    id: str | None


def parse_gold(marked: str) -> tuple[str, list[GoldMention]]:
    """Plain text and gold mentions of a marked-up text (see module notes)."""
    lines = marked.splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    marked = "".join(lines)
    out, gold, pos = [], [], 0
    length = 0
    for m in _MARK_RE.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        surface, gid = m.group(1), m.group(2).strip()
        gold.append(GoldMention(length, length + len(surface), surface,
                                None if gid == "unresolved" else gid))
        out.append(surface)
        length += len(surface)
        pos = m.end()
    out.append(marked[pos:])
    return "".join(out), gold


@dataclass
class Scores:
    """Counts and rates of one system over the labelled set."""

    name: str
    n_system: int = 0
    n_gold: int = 0
    matched: int = 0
    resolved_right: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.n_system if self.n_system else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.n_gold if self.n_gold else 0.0

    @property
    def resolution(self) -> float:
        return self.resolved_right / self.matched if self.matched else 0.0

    def add(self, name: str, gold: list[GoldMention], found: list[tuple[int, int, str | None]],
            text: str) -> None:
        by_span = {(g.start, g.end): g for g in gold}
        self.n_system += len(found)
        self.n_gold += len(gold)
        hit = set()
        for a, b, gid in found:
            g = by_span.get((a, b))
            if g is None:
                self.errors.append(f"{name}:{a}-{b}: not a gold mention: {text[a:b]!r} ({gid})")
                continue
            hit.add((a, b))
            self.matched += 1
            if gid == g.id:
                self.resolved_right += 1
            else:
                self.errors.append(f"{name}:{a}-{b}: {g.text!r} resolved to {gid}, gold {g.id}")
        for g in gold:
            if (g.start, g.end) not in hit:
                self.errors.append(f"{name}:{g.start}-{g.end}: missed {g.text!r} ({g.id})")


def baseline_mentions(text: str, gaz: Any) -> list[tuple[int, int, str | None]]:
    """The plain gazetteer string match (see module notes)."""
    from bordermap.extract.spans import gazetteer_hits, ngrams, token_keys
    from bordermap.extract.text import sentences, tokens

    toks = tokens(text, sentences(text))
    keys, poss = token_keys(toks)
    hits = sorted(gazetteer_hits(gaz, ngrams(text, toks, keys, poss)),
                  key=lambda h: (-(h.j - h.i), h.i))
    used: set[int] = set()
    out = []
    for h in hits:
        if used & set(range(h.i, h.j)):
            continue
        used |= set(range(h.i, h.j))
        best: dict[int, tuple] = {}
        for k in h.names:
            gaz._hits(k, gaz._name(k), 100.0, True, None, best)
        top = min(best.values())
        from bordermap.extract.resolve import _strip_possessive

        a = toks[h.i].start
        out.append((a, _strip_possessive(text, a, toks[h.j - 1].end), gaz.place(top[4]).id))
    return sorted(out)


def evaluate(
    folder: str | Path = GOLD_DIR, *, gazetteer: Any = None, subset: str | None = None
) -> tuple[Scores, Scores]:
    """Scores of :func:`bordermap.extract.extract` and of the baseline on the labelled set.

    ``subset`` ``"held-out"`` keeps the texts whose header says ``# held-out``
    (written after the rules were frozen), ``"development"`` the others.
    """
    from bordermap.extract import extract

    if gazetteer is None:
        from bordermap.gazetteer import get_gazetteer

        gazetteer = get_gazetteer()
    system, base = Scores("bordermap extract"), Scores("gazetteer string match")
    files = sorted(Path(folder).glob("*.txt"))
    if not files:
        raise FileNotFoundError(f"no labelled texts (*.txt) in {folder}")
    for path in files:
        marked = path.read_text(encoding="utf-8")
        held = "\n# held-out" in "\n" + marked.split("\n\n")[0]
        if subset is not None and (subset == "held-out") != held:
            continue
        text, gold = parse_gold(marked)
        ex = extract(text, gazetteer=gazetteer)
        system.add(path.name, gold, [(m.start, m.end, m.id) for m in ex.mentions], text)
        base.add(path.name, gold, baseline_mentions(text, gazetteer), text)
    return system, base


def main(argv: list[str] | None = None) -> int:
    """Print precision, recall and resolution accuracy of the system and the baseline."""
    argv = sys.argv[1:] if argv is None else argv
    import time

    from bordermap.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    t0 = time.perf_counter()
    system, base = evaluate(gazetteer=gaz)
    took = time.perf_counter() - t0
    n_texts = len(list(GOLD_DIR.glob("*.txt")))
    print(f"labelled set: {n_texts} texts, {system.n_gold} gold mentions ({GOLD_DIR})")
    print(f"{'':36} {'precision':>9} {'recall':>7} {'resolution':>10} {'found':>6} {'gold':>5}")
    rows = [("all", system, base)]
    for sub in ("development", "held-out"):
        rows.append((sub, *evaluate(gazetteer=gaz, subset=sub)))
    for label, *pair in rows:
        for s in pair:
            print(f"{label + ': ' + s.name:36} {s.precision:9.3f} {s.recall:7.3f} "
                  f"{s.resolution:10.3f} {s.n_system:6d} {s.n_gold:5d}")
    print(f"(both systems over all texts in {took:.2f} s)")
    if "--errors" in argv:
        for s in (system, base):
            print(f"\n{s.name}: {len(s.errors)} errors")
            for e in s.errors:
                print("  " + e)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
