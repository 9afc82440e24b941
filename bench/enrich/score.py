#!/usr/bin/env python3
"""Scores entity, quote and amount extraction on the seeds against bench/enrich/gold.json.

Usage: score.py GOLD SYSTEM.jsonl [SYSTEM.jsonl ...]   (one JSON line per document: doc, entities, quotes, amounts)

Entities are scored per document at entity level. A system entity matches a gold entity when one of its forms
(name and aliases, normalised: case, dashes, "&"/"and", a leading "the", a trailing "'s") equals one of the gold
forms. Typed recall: gold entities matched by a system entity of the same type. Precision: system entities that
match a gold entity of their type (entities matching an optional gold entity are left out of both counts).
Alias merges: pairs of gold forms of one entity that one system entity holds both of. Quotes: gold quotations
(found by their opening words) whose speaker the system names correctly; a speaker given to an unattributed
quotation counts as wrong. Amounts: gold (value, kind, unit) found.
"""
import collections
import json
import sys
import unicodedata


def norm(text):
    text = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    for dash in "\u2010\u2011\u2012\u2013\u2014":
        text = text.replace(dash, "-")
    text = text.replace("&", " and ").replace("“", "").replace("”", "").replace('"', "")
    text = " ".join(text.split()).strip(" ,.;:()'")
    if text.startswith("the "):
        text = text[4:]
    if text.endswith("'s"):
        text = text[:-2]
    return text.strip(" ,.;:()'")


def score(gold, system_path):
    docs = {}
    for line in open(system_path, encoding="utf-8"):
        record = json.loads(line)
        if "doc" in record:
            docs[record["doc"]] = record
    totals = collections.Counter()
    details = []
    for name, g in gold["documents"].items():
        s = docs.get(name, {"entities": [], "quotes": [], "amounts": []})
        sys_entities = [(e["type"], {norm(e["name"])} | {norm(a) for a in e.get("aliases", [])}, e["name"])
                        for e in s["entities"]]
        gold_entities = [(e["type"], {norm(f) for f in e["forms"]}, e) for e in g["entities"]]
        for gtype, gforms, entity in gold_entities:
            if entity.get("optional"):
                continue
            totals["gold"] += 1
            if any(stype == gtype and sforms & gforms for stype, sforms, _ in sys_entities):
                totals["recalled"] += 1
            else:
                details.append(f"  miss {name[:3]} {gtype}: {entity['name']}")
            forms = sorted({norm(f) for f in entity.get("alias_forms", entity["forms"])})
            for i in range(len(forms)):
                for j in range(i + 1, len(forms)):
                    totals["pairs"] += 1
                    if any({forms[i], forms[j]} <= sforms for _, sforms, _ in sys_entities):
                        totals["merged"] += 1
                    else:
                        details.append(f"  unmerged {name[:3]}: {forms[i]} / {forms[j]}")
        for stype, sforms, sname in sys_entities:
            matches = [(gtype, e) for gtype, gforms, e in gold_entities if sforms & gforms]
            if matches and all(e.get("optional") for _, e in matches):
                continue
            totals["system"] += 1
            if any(gtype == stype for gtype, _ in matches):
                totals["correct"] += 1
            else:
                details.append(f"  false {name[:3]} {stype}: {sname}")
        # Quotes.
        for quote in g["quotes"]:
            opening = norm(quote["starts"])
            found = [q for q in s["quotes"] if norm(q["text"]).startswith(opening)]
            speaker = found[0].get("speaker") if found else None
            speaker_name = norm(speaker["name"]) if speaker else None
            if quote["speaker"] is None:
                totals["unattributed"] += 1
                if speaker_name:
                    totals["false_speaker"] += 1
                continue
            totals["attributed"] += 1
            gforms = next((gf for _, gf, e in gold_entities if norm(quote["speaker"]) in gf), {norm(quote["speaker"])})
            if speaker_name and (speaker_name in gforms):
                totals["speaker_right"] += 1
            else:
                details.append(f"  speaker {name[:3]}: “{quote['starts']}” → {speaker_name} (gold {quote['speaker']})")
        # Amounts.
        pool = [(float(a["value"]), a["kind"], a.get("unit", "").lower()) for a in s.get("amounts", [])]
        for amount in g["amounts"]:
            totals["gold_amounts"] += 1
            value, kind, unit = float(amount["value"]), amount["kind"], amount["unit"].lower()
            # A system that gives no unit (spaCy) is matched on value and kind.
            hit = next((p for p in pool if p[0] == value and p[1] == kind and p[2] in (unit, "")), None)
            if hit:
                pool.remove(hit)
                totals["amounts_found"] += 1
        totals["system_amounts"] += len(s.get("amounts", []))
    return totals, details


def main():
    gold = json.load(open(sys.argv[1], encoding="utf-8"))
    verbose = "--details" in sys.argv
    for path in [p for p in sys.argv[2:] if not p.startswith("--")]:
        t, details = score(gold, path)
        recall = t["recalled"] / max(1, t["gold"])
        precision = t["correct"] / max(1, t["system"])
        print(f"{path}:")
        print(f"  entities: typed recall {recall:.3f} ({t['recalled']}/{t['gold']}), "
              f"precision {precision:.3f} ({t['correct']}/{t['system']})")
        print(f"  alias pairs merged: {t['merged']}/{t['pairs']}")
        print(f"  quote speakers right: {t['speaker_right']}/{t['attributed']}, "
              f"speakers given to unattributed quotes: {t['false_speaker']}/{t['unattributed']}")
        print(f"  amounts found: {t['amounts_found']}/{t['gold_amounts']} (system reported {t['system_amounts']})")
        if verbose:
            print("\n".join(details))


if __name__ == "__main__":
    main()
