/// The words that type a name by its context: titles, heads of organisation and place names, and the like.
/// All lowercased; compared with lowercased tokens. General English news vocabulary, no site or story terms.
enum EntityCues {
    /// Titles and roles that come before a person's name ("President", "Defence Minister", "Gen.").
    static let titles: Set<String> = [
        "president", "minister", "mantri", "premier", "chancellor", "general", "gen", "admiral", "adm",
        "marshal", "mos", "cds", "mr", "mrs", "ms", "miss", "dr", "shri", "smt", "sri", "sir", "dame", "lord",
        "lady", "king", "queen", "prince", "princess", "emperor", "pope", "sheikh", "emir", "sultan", "secretary",
        "ambassador", "envoy", "governor", "senator", "sen", "rep", "representative", "congressman",
        "congresswoman", "mayor", "chairman", "chairwoman", "chairperson", "chair", "ceo", "cfo", "director",
        "commander", "colonel", "col", "captain", "capt", "lieutenant", "lt", "major", "maj", "sergeant", "sgt",
        "brigadier", "brig", "judge", "justice", "spokesperson", "spokesman", "spokeswoman", "professor", "prof",
        "chief", "pm", "deputy", "vice", "councillor", "councilor", "mp", "mla", "rev", "bishop", "cardinal",
        "archbishop", "imam", "rabbi", "ayatollah", "coach", "officer", "inspector", "superintendent",
        "commissioner", "attorney", "speaker", "leader", "founder", "president-elect", "md",
    ]
    /// Nouns for people that, lowercased right before a name, make it a person's ("his counterpart X").
    static let personNouns: Set<String> = [
        "counterpart", "colleague", "wife", "husband", "son", "daughter", "father", "mother", "brother", "sister",
        "friend", "author", "writer", "actor", "actress", "singer", "player", "striker", "analyst", "expert",
        "economist", "researcher", "scientist", "official", "lawyer", "journalist", "reporter", "photographer",
        "editor", "owner", "boss", "head", "manager", "adviser", "advisor", "aide", "activist", "candidate",
        "businessman", "businesswoman", "billionaire", "tycoon", "politician", "lawmaker", "diplomat",
        "successor", "predecessor", "rival", "opponent", "ally", "envoy", "nominee", "veteran", "chef", "artist",
        "director", "chairman", "minister", "president", "secretary", "spokesperson", "spokesman", "spokeswoman",
        "mr", "mrs", "ms", "dr", "prof", "general", "admiral", "commander", "chief", "leader", "founder", "ceo",
    ]
    /// Plural titles: a span of these and roles alone names no one ("the Defence Ministers").
    static let pluralTitles: Set<String> = [
        "presidents", "ministers", "generals", "admirals", "secretaries", "ambassadors", "governors", "senators",
        "mayors", "chiefs", "leaders", "commanders", "officers", "deputies", "judges", "mps",
    ]
    /// Words that qualify a title ("Defence" Minister, "Prime" Minister, "External Affairs" Minister).
    static let roleWords: Set<String> = [
        "prime", "defence", "defense", "foreign", "home", "finance", "external", "affairs", "interior", "trade",
        "commerce", "health", "education", "state", "raksha", "pradhan", "deputy", "vice", "chief", "first",
        "executive", "managing", "general", "junior", "senior", "union", "federal", "cabinet", "army", "navy",
        "air", "staff", "justice", "energy", "oil", "petroleum", "agriculture", "transport", "labour", "labor",
        "economy", "economic", "culture", "sports", "information", "environment", "science", "technology", "of",
        "for", "and", "the", "former", "acting", "new", "interim", "then", "naval", "military", "security",
        "national", "press", "communications", "treasury", "war", "emergency", "industry", "development",
    ]
    /// Organisation heads and suffixes ("Ministry", "Commission", "Ltd").
    static let organizationHeads: Set<String> = [
        "ministry", "commission", "corporation", "corp", "ltd", "limited", "inc", "llc", "plc", "gmbh", "ag", "sa",
        "agency", "council", "committee", "organization", "organisation", "union", "bank", "institute",
        "institution", "university", "college", "academy", "school", "department", "party", "group", "company",
        "co", "association", "federation", "court", "parliament", "congress", "senate", "assembly", "office",
        "bureau", "service", "services", "fund", "authority", "board", "police", "government", "navy", "army",
        "force", "forces", "guard", "industries", "technologies", "airlines", "airways", "media", "network",
        "foundation", "trust", "society", "league", "club", "secretariat", "cabinet", "directorate", "command",
        "corps", "regiment", "brigade", "division", "alliance", "coalition", "front", "movement", "administration",
        "commissariat", "tribunal", "exchange", "holdings", "motors", "systems", "aerospace", "shipyards",
        "laboratory", "laboratories", "hospital", "ventures", "partners", "enterprises", "works", "fleet",
        "squadron", "battalion", "mission", "embassy", "consulate", "delegation", "legislature", "duma",
    ]
    /// Organisation heads that name one body even alone when capitalised mid-sentence ("the Army").
    static let standaloneOrganizations: Set<String> = [
        "army", "navy", "parliament", "senate", "congress", "cabinet", "kremlin", "pentagon", "politburo",
    ]
    /// Heads of place names ("Airport", "Bay", "Marg", "Bhavan").
    static let locationHeads: Set<String> = [
        "airport", "marg", "road", "street", "avenue", "lane", "boulevard", "square", "bay", "sea", "ocean",
        "river", "lake", "mountain", "mountains", "mount", "island", "islands", "peninsula", "gulf", "strait",
        "valley", "desert", "coast", "province", "region", "district", "county", "memorial", "centre", "center",
        "bhavan", "bhawan", "house", "palace", "shipyard", "port", "harbour", "harbor", "station", "stadium", "park",
        "bridge", "temple", "mosque", "church", "cathedral", "hall", "tower", "base", "canal", "territory",
        "oblast", "krai", "hills", "plaza", "chowk", "nagar", "pradesh", "city", "town", "village", "capital",
        "airbase", "cantonment", "sector", "border", "fort", "gate", "falls", "forest", "reserve", "highway", "field",
        "arena",
    ]
    /// Heads of event names ("Summit", "Games", "War").
    static let eventHeads: Set<String> = [
        "summit", "conference", "games", "olympics", "olympiad", "exercise", "exercises", "war", "cup",
        "championship", "championships", "festival", "forum", "week", "day", "parade", "biathlon", "election",
        "elections", "expo", "talks", "dialogue", "session", "ceremony", "tournament", "marathon", "trophy",
        "revolution", "uprising", "massacre", "crisis", "meeting", "congress", "convention", "show", "fair",
        "drill", "drills", "operation", "offensive", "campaign", "rally", "world cup", "grand prix", "open", "finals",
        "final", "series", "derby", "classic", "bowl",
    ]
    /// Heads of other named things: treaties, laws, programmes, initiatives.
    static let otherHeads: Set<String> = [
        "treaty", "agreement", "accord", "accords", "declaration", "act", "protocol", "roadmap", "programme",
        "program", "initiative", "plan", "policy", "strategy", "charter", "doctrine", "law", "bill", "pact",
        "partnership", "resolution", "memorandum", "framework", "scheme", "mission", "project", "index", "award",
        "prize", "report", "constitution", "code", "deal", "vision", "fund", "budget",
    ]
    /// Prepositions after which a bare unknown name is a place ("in Chennai", "at Palam").
    static let placePrepositions: Set<String> = [
        "in", "at", "to", "near", "across", "outside", "inside", "throughout", "visiting", "visited", "landed",
        "reached",
    ]
    /// Nouns after which a list of names are vehicles or weapons ("Russian ships Pechanga and Rezkiy").
    static let equipmentNouns: Set<String> = [
        "ship", "ships", "frigate", "frigates", "destroyer", "destroyers", "corvette", "corvettes", "submarine",
        "submarines", "vessel", "vessels", "carrier", "carriers", "cruiser", "cruisers", "warship", "warships",
        "tanker", "tankers", "aircraft", "jet", "jets", "fighter", "fighters", "helicopter", "helicopters",
        "missile", "missiles", "tank", "tanks", "rifle", "rifles", "drone", "drones", "satellite", "satellites",
        "rocket", "rockets", "boat", "boats", "icebreaker", "spacecraft", "probe", "rover", "system",
    ]
    /// Prefixes of ship names ("INS Tushil", "HMS Dragon").
    static let shipPrefixes: Set<String> = [
        "ins", "hms", "uss", "hmas", "hmcs", "hmnzs", "rfs", "fs", "frs", "pns", "bns", "sls", "jds", "rss", "kri",
        "mv", "ms", "ss",
    ]
    /// Words that start a sentence or heading but never a name; dropped from the front of a span.
    static let functionWords: Set<String> = [
        "the", "a", "an", "this", "that", "these", "those", "during", "before", "after", "in", "on", "at", "for",
        "with", "by", "from", "as", "under", "over", "but", "and", "or", "if", "when", "while", "it", "he", "she",
        "they", "we", "i", "you", "his", "her", "their", "our", "its", "my", "your", "both", "all", "some", "many",
        "most", "each", "every", "no", "not", "today", "yesterday", "tomorrow", "earlier", "later", "also",
        "however", "meanwhile", "additionally", "moreover", "furthermore", "since", "until", "about", "against",
        "between", "among", "amid", "despite", "through", "without", "according", "why", "how", "what", "who",
        "where", "which", "whose", "there", "here", "then", "now", "so", "yet", "still", "even", "only", "just",
        "several", "other", "another", "such", "more", "less", "one", "two", "three", "former", "last",
        "next", "first", "second", "third", "following", "ahead", "beyond", "upon", "via", "per", "like",
        "unlike", "besides", "along", "together", "further", "though", "although", "because", "whether", "once",
        "note", "summary", "conclusion", "update", "updated", "read", "also", "watch", "photo", "video", "source",
    ]
    /// Weekday and month names and abbreviations.
    static let calendarWords: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "tues", "wed",
        "thu", "thur", "thurs", "fri", "sat", "sun", "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
        "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
    /// Acronyms and capitalised words that are not names.
    static let nonNames: Set<String> = [
        "ist", "gmt", "utc", "est", "edt", "pst", "pdt", "cet", "cest", "bst", "am", "tv", "faq", "pdf", "ok",
        "gdp", "usd", "eur", "inr", "gbp", "rs", "mou", "url", "ai", "ip", "hq", "id", "vip", "ceo", "etc", "i",
        "rt", "r&d", "q&a", "m&a", "pr", "b2b", "it", "ii", "iii", "iv", "vi", "oh", "ad", "bc", "eu-wide", "mn",
        "bn", "cr", "lakh", "crore", "km", "kg", "suv", "suvs", "ev", "evs", "led", "lcd", "usb", "gps", "dna",
        "atm", "pc", "cpu", "gpu", "ram", "ssd", "hd", "api", "app", "vr", "ar", "cfo", "cto", "coo", "diy", "mph",
        "kph", "rpm", "hp", "kw", "kwh", "mw", "gw", "lb", "lbs", "oz", "ft", "sq", "qb", "td", "dl", "mvp", "rb",
        "wr", "te", "ol", "db", "lb", "era", "rbi", "pm2", "sms", "pin", "otp", "gst", "vat", "ipo", "ceo's",
    ]
    /// Demonyms and other adjectives of place, which are not entities of their own ("Russian", "Soviet").
    static let demonyms: Set<String> = [
        "soviet", "british", "french", "german", "chinese", "japanese", "american", "dutch", "swiss", "greek",
        "turkish", "israeli", "pakistani", "afghan", "iranian", "iraqi", "saudi", "emirati", "thai", "vietnamese",
        "korean", "european", "african", "asian", "arab", "western", "eastern", "northern", "southern",
        "ukrainian", "russian", "indian", "kashmiri", "bangladeshi", "nepali", "nepalese", "sri", "lankan",
        "filipino", "polish", "spanish", "portuguese", "italian", "belarusian", "georgian", "armenian", "kazakh",
        "uzbek", "egyptian", "nigerian", "kenyan", "brazilian", "mexican", "canadian", "australian", "syrian",
        "lebanese", "palestinian", "jordanian", "qatari", "omani", "yemeni", "libyan", "tunisian", "moroccan",
        "algerian", "ethiopian", "sudanese", "somali", "south", "north", "latin", "nordic", "baltic", "slavic",
        "eurasian", "indo", "sino", "anglo", "franco", "irish", "scottish", "welsh", "english", "hindu", "muslim",
        "christian", "jewish", "sikh", "buddhist", "catholic", "orthodox", "sunni", "shia", "swedish", "danish",
        "norwegian", "finnish", "czech", "slovak", "hungarian", "romanian", "bulgarian", "serbian", "croatian",
        "austrian", "belgian", "malaysian", "indonesian", "singaporean", "burmese", "mongolian", "tibetan",
        "taiwanese", "cuban", "venezuelan", "colombian", "chilean", "argentine", "argentinian", "peruvian",
    ]
    /// Adjectival suffixes cut from a hyphenated name ("Russia-led" → Russia, "US-based" → US).
    static let adjectivalSuffixes: Set<String> = [
        "led", "based", "origin", "backed", "born", "made", "owned", "run", "level", "enabled", "era", "style",
        "type", "linked", "bound", "centric", "specific", "wide", "related", "sponsored", "funded", "built",
        "controlled", "held", "occupied", "brokered", "friendly", "allied", "aligned", "focused", "registered",
        "listed", "headquartered", "flagged", "speaking", "inspired", "designed", "produced", "supplied",
        "manufactured", "developed", "bred", "educated", "trained", "dominated", "majority", "minority",
    ]
    /// Reporting verbs of quotations and of "X said" person cues.
    static let speechVerbs: Set<String> = [
        "said", "says", "say", "told", "tells", "added", "adds", "stated", "states", "declared", "declares",
        "noted", "notes", "stressed", "stresses", "emphasised", "emphasized", "emphasises", "emphasizes",
        "asserted", "asserts", "remarked", "remarks", "explained", "explains", "insisted", "insists", "warned",
        "warns", "argued", "argues", "wrote", "writes", "announced", "announces", "observed", "observes",
        "recalled", "recalls", "continued", "continues", "asked", "asks", "replied", "replies", "claimed",
        "claims", "acknowledged", "acknowledges", "underlined", "underlines", "highlighted", "highlights",
        "affirmed", "affirms", "reaffirmed", "reaffirms", "confirmed", "confirms", "described", "describes",
        "called", "calls", "tweeted", "posted", "maintained", "maintains", "admitted", "admits", "pointed",
        "describe", "tell", "add", "state", "note", "stress", "emphasise", "emphasize", "warn", "insist", "argue",
        "claim", "confirm", "explain", "recall", "assert",
    ]
}

/// The cue lists a word belongs to, as bits, so each token is looked up once.
struct CueSet: OptionSet, Sendable {
    let rawValue: UInt32
    static let title = CueSet(rawValue: 1 << 0)
    static let pluralTitle = CueSet(rawValue: 1 << 1)
    static let role = CueSet(rawValue: 1 << 2)
    static let organizationHead = CueSet(rawValue: 1 << 3)
    static let eventHead = CueSet(rawValue: 1 << 4)
    static let otherHead = CueSet(rawValue: 1 << 5)
    static let locationHead = CueSet(rawValue: 1 << 6)
    static let function = CueSet(rawValue: 1 << 7)
    static let calendar = CueSet(rawValue: 1 << 8)
    static let nonName = CueSet(rawValue: 1 << 9)
    static let demonym = CueSet(rawValue: 1 << 10)
    static let personNoun = CueSet(rawValue: 1 << 11)
    static let speechVerb = CueSet(rawValue: 1 << 12)
    static let head: CueSet = [.organizationHead, .eventHead, .otherHead, .locationHead]

    /// Every cue word with its lists.
    static let table: [String: CueSet] = {
        var table: [String: CueSet] = [:]
        let lists: [(Set<String>, CueSet)] = [
            (EntityCues.titles, .title), (EntityCues.pluralTitles, .pluralTitle), (EntityCues.roleWords, .role),
            (EntityCues.organizationHeads, .organizationHead), (EntityCues.eventHeads, .eventHead),
            (EntityCues.otherHeads, .otherHead), (EntityCues.locationHeads, .locationHead),
            (EntityCues.functionWords, .function), (EntityCues.calendarWords, .calendar),
            (EntityCues.nonNames, .nonName), (EntityCues.demonyms, .demonym), (EntityCues.personNouns, .personNoun),
            (EntityCues.speechVerbs, .speechVerb),
        ]
        for (words, cue) in lists { for word in words { table[word, default: []].insert(cue) } }
        return table
    }()
}
