"""Intent on the demo week's ground truth (`make eval`): rules alone beside rules + model.

The demo scenario (seed 2026, full scale) is a test set only: the model never trains on it
(see docs/intent-and-learning.md). Reports, over the items written by anyone but the
official account, per-class precision and recall and accuracy, and the issue-7 figure: the
share of the scenario's consultations (truth["consultations"], the questions that open a
conversation) labelled consultation. Writes the `intent-eval` section of docs/benchmarks.md.

    .venv/bin/python eval/eval_intent.py [--seed 2026] [--scale 1.0] [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from report import write_section  # noqa: E402

from inhouse.nlp.intent import INTENTS  # noqa: E402

COMMAND = ".venv/bin/python eval/eval_intent.py"


def demo_intents(seed: int = 2026, scale: float = 1.0) -> dict:
    """Gold and predicted intents (rules alone, rules + model) for the customers' items."""
    from inhouse.nlp.api import analyze_texts
    from inhouse.nlp.classify import get_model
    from inhouse.nlp.intent import classify_intent, intent_model
    from inhouse.nlp.textnorm import clean, widen_simplify_many
    from inhouse.sources.demo import generate

    scenario = generate(seed=seed, scale=scale)
    truth = scenario.truth
    official = truth["official"]["uid"]
    labels = truth["items"]
    recs = [r for r in scenario.records
            if r["id"] in labels and r.get("text") and r["author"]["uid"] != official]
    texts = [r["text"] for r in recs]
    started = time.perf_counter()
    results = analyze_texts(texts, dictionary=truth.get("dictionary", []))
    seconds = time.perf_counter() - started
    # rules alone, on the same sentiment and emotion
    wide = widen_simplify_many(texts)
    emo = get_model("emotion")
    emotions = [emo.classes[i] for i in emo.predict_proba([clean(w) for w in wide]).argmax(axis=1)]
    rules = [classify_intent(w, r.p_positive, e).intent for w, r, e in zip(wide, results, emotions, strict=True)]
    consult_ids = {c["id"] for c in truth["consultations"]}
    return {
        "ids": [r["id"] for r in recs], "kinds": [r["kind"] for r in recs],
        "gold": [labels[r["id"]]["intent"] for r in recs],
        "model": [r.intent for r in results], "rules": rules,
        "consultation_ids": consult_ids, "seconds": seconds,
        "version": getattr(intent_model(), "version", "none (rules only)"),
    }


def per_class(gold: list[str], pred: list[str]) -> dict[str, tuple[float, float, int]]:
    """intent -> (precision, recall, support)."""
    out = {}
    for cls in INTENTS:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == cls and p == cls)
        n_pred = sum(1 for p in pred if p == cls)
        n_gold = sum(1 for g in gold if g == cls)
        out[cls] = (tp / n_pred if n_pred else 0.0, tp / n_gold if n_gold else 0.0, n_gold)
    return out


def consultation_recall(run: dict, key: str) -> float:
    hits = [p == "consultation" for i, p in zip(run["ids"], run[key], strict=True)
            if i in run["consultation_ids"]]
    return sum(hits) / len(hits) if hits else 0.0


def accuracy(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold) if gold else 0.0


def report(run: dict, seed: int, scale: float) -> str:
    gold = run["gold"]
    n_consult = sum(1 for i in run["ids"] if i in run["consultation_ids"])
    lines = [
        f"Demo week (seed {seed}, scale {scale:g}), {len(gold):,} items written by anyone but the "
        f"official account; intent model `{run['version']}`. Command: `{COMMAND}`.",
        "",
        "| measure | rules alone | rules + model |",
        "| --- | --- | --- |",
        f"| scenario consultations ({n_consult:,}) labelled consultation (issue 7 target 90%) | "
        f"{consultation_recall(run, 'rules'):.1%} | {consultation_recall(run, 'model'):.1%} |",
        f"| accuracy, all six intents | {accuracy(gold, run['rules']):.1%} | {accuracy(gold, run['model']):.1%} |",
    ]
    pc_rules, pc_model = per_class(gold, run["rules"]), per_class(gold, run["model"])
    for cls in INTENTS:
        (pr, rr, n), (pm, rm, _) = pc_rules[cls], pc_model[cls]
        lines.append(f"| {cls} (n={n:,}) precision / recall | {pr:.1%} / {rr:.1%} | {pm:.1%} / {rm:.1%} |")
    lines += ["", f"Analysis of the {len(gold):,} texts took {run['seconds']:.1f} s (shared 2-core machine).",
              "The model never saw demo text: training data and its limits are in docs/intent-and-learning.md."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--dry-run", action="store_true", help="print, do not write the docs")
    args = parser.parse_args()
    run = demo_intents(args.seed, args.scale)
    body = "## Intent on the demo week\n\n" + report(run, args.seed, args.scale)
    print(body)
    if not args.dry_run:
        write_section("intent-eval", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
