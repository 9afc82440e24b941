import Testing

@testable import HeraldEnrich

@Suite struct NameNormalizerTests {
    @Test(arguments: [
        ("Andrei", "Andrey"), ("Aleksandr", "Alexander"), ("Yuri", "Yury"), ("Dmitriy", "Dmitry"),
        ("Sergey", "Sergei"), ("Alexey", "Aleksei"), ("Mikhail", "Mihail"), ("Zoë", "Zoe"),
    ])
    func variantsFoldToOneKey(_ pair: (String, String)) {
        #expect(NameNormalizer.key(word: pair.0) == NameNormalizer.key(word: pair.1))
    }

    @Test func differentNamesStayDifferent() {
        #expect(NameNormalizer.key(word: "Ivan") != NameNormalizer.key(word: "Ivana"))
        #expect(NameNormalizer.key(name: "Anna Petrova") != NameNormalizer.key(name: "Anna Petrov"))
    }

    @Test func slugs() {
        #expect(NameNormalizer.slug(name: "Rajnath Singh") == "rajnath-singh")
        #expect(NameNormalizer.slug(name: "Andrey Belousov") == "andrei-belousov")
        #expect(NameNormalizer.slug(name: "Research & Development Board", transliterate: false)
            == "research-and-development-board")
        #expect(NameNormalizer.slug(name: "Su-30MKI", transliterate: false) == "su-30mki")
    }
}
