"""Benchmark ``bordermap.extract`` on a 10,000-word report against a plain string match.

Run from the repository root::

    python benchmarks/bench_extract.py

The report is the labelled texts of ``bordermap/extract/gold`` (written for
bordermap; markup removed) repeated to 10,000 words.  With the gazetteer
loaded, it times:

1. ``extract(text)``: mentions with context rules and ranking, dates,
   distances (the target is <= 1 s);
2. the baseline: a plain gazetteer string match over the same text
   (``evaluate.baseline_mentions``: every run of up to six words that is a
   gazetteer name, first-ranked place), which does no context work;
3. ``draft_layer`` on the result.

It prints each time (best of three), the ratio of extract to the baseline,
and the number of mentions each finds.  Nothing is hard-coded.
"""

from __future__ import annotations

import time


def _best_of(fn, n: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _measure() -> dict:
    from bordermap.extract import extract
    from bordermap.extract.evaluate import GOLD_DIR, baseline_mentions, parse_gold
    from bordermap.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    texts = [parse_gold(p.read_text(encoding="utf-8"))[0] for p in sorted(GOLD_DIR.glob("*.txt"))]
    corpus = "\n\n".join(texts)
    words = corpus.split()
    reps = 10_000 // len(words) + 1
    text = "\n\n".join([corpus] * reps)
    n_words = len(text.split())
    extract(texts[0], gazetteer=gaz)  # warm the code paths once
    t_ex, ex = _best_of(lambda: extract(text, gazetteer=gaz))
    t_base, base = _best_of(lambda: baseline_mentions(text, gaz))
    t_draft, layer = _best_of(lambda: ex.draft_layer())
    t_once, once = _best_of(lambda: extract(corpus, gazetteer=gaz))
    return {  # plain values: rows() measures in a child process
        "n_words": n_words, "chars": len(text), "t_ex": t_ex, "mentions": len(ex.mentions),
        "dates": len(ex.dates), "distances": len(ex.distances), "t_base": t_base,
        "base": len(base), "t_draft": t_draft, "drafts": len(layer["incidents"]),
        "words": len(words), "t_once": t_once, "once": len(once.mentions),
    }


def rows(quick: bool = False) -> list[dict]:
    """A ~10,000-word report through extract, beside a plain gazetteer string match."""
    from benchmarks._harness import isolated, row

    m, peak = isolated(_measure)
    return [row("extract (text to places)", f"{m['n_words']:,} words", m["t_ex"],
                "plain gazetteer string match", m["t_base"],
                "P/R/resolution: python -m bordermap.extract.evaluate", peak,
                f"{m['mentions']} mentions; target <= 1 s")]


def main() -> None:
    m = _measure()
    print(f"report: {m['n_words']:,} words, {m['chars']:,} characters")
    print(f"bordermap extract:      {m['t_ex']:6.3f} s  {m['mentions']:5d} mentions, "
          f"{m['dates']} dates, {m['distances']} distances  "
          f"({'within' if m['t_ex'] <= 1.0 else 'OVER'} the 1 s target)")
    print(f"gazetteer string match: {m['t_base']:6.3f} s  {m['base']:5d} mentions")
    print(f"ratio extract / string match: {m['t_ex'] / m['t_base']:.2f}x")
    print(f"draft layer: {m['t_draft']:.3f} s, {m['drafts']} draft incidents")
    print(f"the labelled texts once ({m['words']:,} words, every name new): "
          f"{m['t_once']:.3f} s, {m['once']} mentions "
          f"({m['t_once'] / m['words'] * 10_000:.2f} s per 10,000 words at that rate)")


if __name__ == "__main__":
    main()
