/// News agencies whose name may stand as a story's only credit ("The Associated Press", "PTI").
enum MetadataWireAgency {
    /// Comparable agency spellings mapped to the name reported.
    private static let names: [String: String] = [
        "associated press": "Associated Press", "the associated press": "Associated Press", "ap": "Associated Press",
        "reuters": "Reuters", "thomson reuters": "Reuters", "afp": "AFP", "agence france presse": "AFP",
        "agence france-presse": "AFP", "pti": "PTI", "press trust of india": "PTI", "ians": "IANS", "ani": "ANI",
        "upi": "UPI", "united press international": "UPI", "dpa": "dpa", "xinhua": "Xinhua", "efe": "EFE",
        "ansa": "ANSA", "kyodo": "Kyodo", "kyodo news": "Kyodo", "yonhap": "Yonhap", "tass": "TASS",
        "canadian press": "The Canadian Press", "the canadian press": "The Canadian Press", "aap": "AAP",
        "australian associated press": "AAP", "bloomberg": "Bloomberg",
    ]

    /// The agency a whole credit names ("By The Associated Press", "PTI"), nil when the credit says anything else.
    static func find(in credits: [String]) -> String? {
        for credit in credits {
            var key = TextNormalizer.normalize(credit).lowercased().trimmingScalars(" .,:;|-–—")
            for prefix in ["by ", "from "] where key.hasPrefix(prefix) { key = String(key.dropFirst(prefix.count)) }
            if let name = names[key] { return name }
        }
        return nil
    }
}
