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


def main() -> None:
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
    print(f"report: {n_words:,} words, {len(text):,} characters")
    print(f"bordermap extract:      {t_ex:6.3f} s  {len(ex.mentions):5d} mentions, "
          f"{len(ex.dates)} dates, {len(ex.distances)} distances  "
          f"({'within' if t_ex <= 1.0 else 'OVER'} the 1 s target)")
    print(f"gazetteer string match: {t_base:6.3f} s  {len(base):5d} mentions")
    print(f"ratio extract / string match: {t_ex / t_base:.2f}x")
    print(f"draft layer: {t_draft:.3f} s, {len(layer['incidents'])} draft incidents")
    print(f"the labelled texts once ({len(words):,} words, every name new): {t_once:.3f} s, "
          f"{len(once.mentions)} mentions ({t_once / len(words) * 10_000:.2f} s per 10,000 "
          f"words at that rate)")


if __name__ == "__main__":
    main()
