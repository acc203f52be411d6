"""`python -m simulator phrases --lang zh "您说得对，我马上安排"`: what the phrase checks find in a reply.

For trainers who edit simulator/data/phrases/*.toml: each class found with the words that matched and the
list entry behind them, then every near-miss with the guard or rule that kept it from counting.
"""

from __future__ import annotations

import argparse
import json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("phrases", help="try a reply against the phrase lists")
    parser.add_argument("text", help="the trainee's reply")
    parser.add_argument("--lang", required=True, help="zh or en")
    parser.add_argument("--customer", default="", help="the customer's line before it (for restating)")
    parser.add_argument("--key-words", default="", help="the scenario's key words, comma separated")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of lines")
    parser.set_defaults(func=phrases_command)


def phrases_command(args: argparse.Namespace) -> int:
    from simulator.core.analysis.corpus import verdict_class
    from simulator.core.analysis.phrases import LANGUAGES, NearMiss, ReplyContext, match_text, was_transferred

    if args.lang not in LANGUAGES:
        print(f"error: unknown language '{args.lang}' (have: {', '.join(LANGUAGES)})")
        return 2
    if not args.text.strip():
        print("error: the reply is empty: give the words to check, e.g. \"您说得对，我马上安排\"")
        return 2
    key_words = tuple(k.strip() for k in args.key_words.replace("，", ",").split(",") if k.strip())
    context = ReplyContext(args.customer, key_words, bool(args.customer) and was_transferred(args.customer, args.lang))
    dropped: list[NearMiss] = []
    _, matches = match_text(args.text, args.lang, None, context, dropped)
    found = [(verdict_class(m) or m.category, m) for m in matches]
    if args.json:
        print(json.dumps({
            "found": [{"class": c, "category": m.category, "tag": m.tag, "text": m.text, "phrase": m.phrase} for c, m in found],
            "near_misses": [{"category": d.category, "text": d.text, "phrase": d.phrase, "reason": d.reason} for d in dropped],
        }, ensure_ascii=False))
        return 0
    for c, m in found:
        tag = f" [{m.tag}]" if m.tag and m.tag not in ("phrases", c) else ""
        print(f"{c}{tag}: \"{m.text}\" (entry: {m.phrase})")
    if not found:
        print("no class found")
    for d in dropped:
        print(f"not counted: {d.category} \"{d.text}\" (entry: {d.phrase}): {d.reason}")
    return 0
