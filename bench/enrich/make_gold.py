# person/organization/location/equipment/event/other; "?" prefix on a type = optional (ambiguous) entity.
P, O, L, Q, E, X = "person", "organization", "location", "equipment", "event", "other"
IRIGC_AND = ["India-Russia Inter-Governmental Commission on Military & Military Technical Cooperation",
             "India–Russia Inter-Governmental Commission on Military & Military Technical Cooperation",
             "Inter-Governmental Commission on Military & Military Technical Cooperation",
             "India-Russia Inter-Governmental Commission on Military and Military Technical Cooperation",
             "Inter-Governmental Commission on Military and Military Technical Cooperation",
             "IRIGC-M&MTC", "IRIGC"]
docs = {
"000": {
 "entities": [
  (P, ["Vladimir Putin", "Putin"]), (P, ["Rajnath Singh", "Singh"]), (P, ["Andrei Belousov", "Belousov"]),
  (P, ["Modi"]),
  (L, ["India"]), (L, ["Russia"]), (L, ["New Delhi"]), (L, ["Delhi"]), (L, ["Moscow"]), (L, ["Manekshaw Centre"]),
  (L, ["National War Memorial"]),
  (O, IRIGC_AND), (O, ["Government of India"]), ("?" + O, ["Tri-Service Guard of Honour"]),
  (X, ["Aatmanirbhar Bharat"]),
  (E, ["India-Russia Annual Summit", "Annual Summit"]),
  (Q, ["S-400"]), (Q, ["Su-57"]),
 ],
 "quotes": [("deep trust, shared principles", None), ("united by decades of friendship", "Andrei Belousov"),
            ("niche and emerging technologies", "Andrei Belousov")],
 "amounts": [],
},
"001": {
 "entities": [
  (P, ["Rajnath Singh", "Singh"]), (P, ["Vladimir Putin", "Putin"]), (P, ["Narendra Modi", "Modi"]),
  (P, ["Andrei Belousov", "Belousov"]), (P, ["Droupadi Murmu"]),
  (L, ["India"]), (L, ["Russia"]), (L, ["Moscow"]), (L, ["New Delhi"]), (L, ["Delhi"]), (L, ["China"]),
  (L, ["Ukraine"]), (L, ["Palam Airport"]), (L, ["Lok Kalyan Marg"]), (L, ["Rashtrapati Bhavan"]), (L, ["Rajghat"]),
  (L, ["Hyderabad House"]), (L, ["Manekshaw Centre"]), (L, ["National War Memorial"]),
  (O, IRIGC_AND), (O, ["Eurasian Economic Union"]), (O, ["India–Russia Working Group"]), (O, ["Army"]),
  (O, ["Air Force"]), (O, ["Navy"]), (O, ["Google"]), ("?" + O, ["Tri-Service Guard of Honour"]),
  (E, ["SCO Summit"]), (E, ["Annual India–Russia Summit", "Annual Summit"]),
  (X, ["Free Trade Agreement", "FTA"]), (X, ["Aatmanirbhar Bharat"]), ("?" + X, ["Protocol"]),
  (Q, ["S-400"]), (Q, ["Su-57"]), (Q, ["Su-30"]), (Q, ["S-500"]),
 ],
 "quotes": [("time-tested, special, privileged", "Rajnath Singh"), ("Russia is India’s strategic partner", "Rajnath Singh"),
            ("Despite Geopolitical Developments", None), ("time-tested and strategic", "Rajnath Singh")],
 "amounts": [(25, "count", "agreements"), (10, "count", "documents"), (15, "count", "agreements"),
             (25, "count", "agreements"), (10, "count", "agreements"), (15, "count", "mous")],
},
"002": {
 "entities": [
  (P, ["Sangeeta Saxena"]), (P, ["Rajnath Singh"]), (P, ["Andrei Belousov", "Belousov"]), (P, ["Narendra Modi"]),
  (P, ["Vladimir Putin"]),
  (L, ["India"]), (L, ["Russia"]), (L, ["Delhi"]), (L, ["New Delhi"]), (L, ["Manekshaw Centre"]), (L, ["USSR"]),
  (L, ["Moscow"]), (L, ["St. Petersburg"]), (L, ["Rajasthan"]), (L, ["National War Memorial"]), (L, ["Soviet Union"]),
  (O, IRIGC_AND + ["Intergovernmental Commission on Military and Military-Technical Cooperation"]),
  (O, ["India–Russia Intergovernmental Commission on Military-Technical Cooperation",
       "Intergovernmental Commission on Military-Technical Cooperation", "IRIGC-MTC"]),
  (O, ["Defence Ministry"]), (O, ["Indian Navy"]), (O, ["National Defence College"]), (O, ["Air Force Academy"]),
  (O, ["SCO"]), (O, ["Army"]), (O, ["Navy"]), (O, ["Air Force"]), ("?" + O, ["Tri-service Guard of Honour"]),
  ("?" + O, ["MTC"]),
  (E, ["India–Russia Annual Summit"]), (E, ["Cold War"]), (E, ["Moscow Conference on International Security"]),
  (E, ["National Security Week Forum"]), (E, ["Navy Day"]), (E, ["Defexpo-2018"]), (E, ["International Army Games"]),
  (E, ["Tank Biathlon"]), (E, ["Elbrus Ring"]), (E, ["Peaceful Mission"]), (E, ["INDRA"]), (E, ["Avia Indra-2018"]),
  (E, ["INDRA-2018"]), (E, ["Indra Navy-2018"]),
  (X, ["Aatmanirbhar Bharat"]), (X, ["Agreement on Military Cooperation"]), (X, ["MTC Programme"]),
  ("?" + X, ["Roadmap"]),
  (Q, ["MiG"]), (Q, ["Sukhoi"]), (Q, ["T-72"]), (Q, ["T-90"]), (Q, ["Kilo-class"]), (Q, ["BrahMos"]),
 ],
 "quotes": [("trust, common principles and mutual respect", None)],
 "amounts": [(200, "count", "facilities"), (60, "percent", "%")],
},
"003": {
 "entities": [
  (P, ["Rajnath Singh", "Singh"]), (P, ["Vladimir Putin", "Putin"]), (P, ["Narendra Modi", "Modi"]),
  (P, ["Andrei Belousov", "Belousov"]), (P, ["Sanjay Seth"]), (P, ["Anil Chauhan"]),
  (L, ["India"]), (L, ["Russia"]), (L, ["Manekshaw Centre"]), (L, ["New Delhi"]), (L, ["China"]), (L, ["Moscow"]),
  (L, ["National War Memorial"]), (L, ["Palam"]), (L, ["Ukraine"]),
  (O, IRIGC_AND), (O, ["India-Russia Working Group"]), (O, ["Eurasian Economic Union"]), (O, ["ANI"]),
  ("?" + O, ["Tri-Service Guard of Honour"]),
  (E, ["SCO Summit"]), (E, ["Annual India-Russia Summit", "Annual Summit"]),
  (X, ["Special and Privileged Partnership"]), (X, ["Free Trade Agreement"]),
 ],
 "quotes": [("We’ve been eagerly waiting", "Rajnath Singh"), ("Russia is India's strategic partner", "Rajnath Singh"),
            ("I believe this Leaders’ Summit", "Rajnath Singh")],
 "amounts": [],
},
"004": {
 "entities": [
  (P, ["Vladimir Putin", "Putin"]), (P, ["Narendra Modi"]), (P, ["Droupadi Murmu"]), (P, ["Rajnath Singh"]),
  (P, ["Andrey Belousov", "Andrei Belousov"]),
  (L, ["India"]), (L, ["Russia"]), (L, ["Tianjin"]), (L, ["China"]), (L, ["Ukraine"]), (L, ["Soviet Union"]),
  (L, ["Pakistan"]), (L, ["Moscow"]), (L, ["Yantar Shipyard"]), (L, ["Kaliningrad"]), (L, ["New Delhi"]),
  (L, ["Chennai"]), (L, ["Bay of Bengal"]), (L, ["St Petersburg"]),
  (O, ["Ministry of External Affairs"]), (O, ["Kremlin"]),
  (O, ["India–Russia Inter-Governmental Commission on Military Technical Cooperation",
       "Inter-Governmental Commission on Military Technical Cooperation", "IRIGC-MTC"]),
  (O, ["IRIGC on Military and Military Technical Cooperation", "IRIGC"]),
  (O, ["Defence Ministry"]), (O, ["Indian Navy"]), (O, ["Indo-Russia Rifles Private Limited", "IRRPL"]),
  (E, ["Shanghai Cooperation Organization Summit"]), (E, ["INDRA"]), (E, ["INDRA 2025"]), (E, ["MILAN 2024"]),
  (E, ["Russia Navy Day"]), (E, ["International Army Games"]), (E, ["Exercise Vostok"]), (E, ["Avia Indra"]),
  (X, ["Special and Privileged Strategic Partnership"]), (X, ["Treaty of Peace, Friendship, and Cooperation"]),
  (X, ["Indo Soviet Treaty 1971", "Indo Soviet Treaty"]), (X, ["Declaration on the India–Russia Strategic Partnership"]),
  (X, ["Make in India"]),
  (Q, ["INS Tushil"]), (Q, ["T-90"]), (Q, ["Su-30MKI"]), (Q, ["MiG-29K"]), (Q, ["Kamov-31"]), (Q, ["MiG-29"]),
  (Q, ["BrahMos"]), (Q, ["AK-203"]), (Q, ["Pechanga"]), (Q, ["Rezkiy"]), (Q, ["Aldar Tsydenzhapov"]), (Q, ["Rana"]),
  (Q, ["Kuthar"]), (Q, ["P8I"]), (Q, ["INS Tabar"]), (Q, ["Varyag"]), (Q, ["Marshal Shaposhnikov"]),
 ],
 "quotes": [("of great importance", "Kremlin"), ("Special and Privileged Strategic Partnership", None)],
 "amounts": [],
},
}
import json, sys
from pathlib import Path
seeds = {p.name[:3]: p for p in Path(sys.argv[1]).glob("*.txt")}
out = {"about": "Gold annotations for the five seed articles; see bench/enrich/README.md for how they were made.",
       "documents": {}}
for key, doc in docs.items():
    text = seeds[key].read_text(encoding="utf-8")
    ents = []
    for type_, forms in doc["entities"]:
        present = [f for f in forms if f in text]
        if not present:
            print("MISSING", key, forms, file=sys.stderr)
            continue
        optional = type_.startswith("?")
        def standalone(form):
            # An occurrence not inside an occurrence of a longer form of the same entity.
            longer = [f for f in present if f != form and form in f]
            start = 0
            while (i := text.find(form, start)) >= 0:
                if not any(text.find(l, max(0, i - len(l)), i + len(l)) >= 0 and
                           any(text[j:j + len(l)] == l and j <= i and i + len(form) <= j + len(l)
                               for j in range(max(0, i - len(l)), i + 1)) for l in longer):
                    return True
                start = i + 1
            return False
        aliases = [f for f in present if standalone(f)]
        ents.append({"name": present[0], "type": type_.lstrip("?"), "forms": present, "alias_forms": aliases,
                     **({"optional": True} if optional else {})})
    for q, _ in doc["quotes"]:
        if q not in text: print("MISSING QUOTE", key, q, file=sys.stderr)
    out["documents"][seeds[key].name] = {
        "entities": ents,
        "quotes": [{"starts": q, "speaker": s} for q, s in doc["quotes"]],
        "amounts": [{"value": v, "kind": k, "unit": u} for v, k, u in doc["amounts"]],
    }
print(json.dumps(out, indent=1, ensure_ascii=False))
