import Testing

@testable import HeraldEnrich

@Suite struct EntityExtractorTests {
    let enricher = EnrichTestSupport.enricher

    func entities(_ text: String) -> [Entity] { enricher.enrich(text).entities }

    @Test func sentenceInitialWordsWeekdaysAndLoneTitlesAreNotEntities() {
        let found = entities("""
            During the talks on Thursday, the President said little. Earlier, Minister Mara Quillon arrived in \
            Lisbon on Monday in December.
            """)
        let names = Set(found.map(\.name))
        #expect(!names.contains("During"))
        #expect(!names.contains("Earlier"))
        #expect(!names.contains("Thursday"))
        #expect(!names.contains("Monday"))
        #expect(!names.contains("December"))
        #expect(!names.contains("President"))
        #expect(found.contains { $0.name == "Mara Quillon" && $0.type == .person })
        #expect(found.contains { $0.name == "Lisbon" && $0.type == .location })
    }

    @Test func headingsOnlyKeepKnownNames() {
        let found = entities("""
            Harbour Plan Gets Green Light From Teodor Vasko And Lisbon
            Mayor Teodor Vasko said the harbour plan was approved.
            """)
        let names = Set(found.map(\.name))
        #expect(!names.contains("Harbour Plan Gets Green Light"))
        #expect(!names.contains("Green Light"))
        #expect(names.contains("Teodor Vasko"))
        let vasko = found.first { $0.name == "Teodor Vasko" }
        #expect(vasko?.mentions.count == 2)
    }

    @Test func titlesRolesAndSuffixesType() {
        let found = entities("""
            Defence Minister Olek Branwen met Admiral Tessa Morrow and MoS Defence Piet Varga at the Korvan \
            Shipyard. The Ministry of Coastal Affairs and Nordvik Marine Ltd signed with the Baltic Trade \
            Commission. The Harbour Summit opened in Gdansk.
            """)
        func type(_ name: String) -> EntityType? { found.first { $0.name == name }?.type }
        #expect(type("Olek Branwen") == .person)
        #expect(type("Tessa Morrow") == .person)
        #expect(type("Piet Varga") == .person)
        #expect(type("Korvan Shipyard") == .location)
        #expect(type("Ministry of Coastal Affairs") == .organization)
        #expect(type("Nordvik Marine Ltd") == .organization)
        #expect(type("Baltic Trade Commission") == .organization)
        #expect(type("Harbour Summit") == .event)
    }

    @Test func equipmentPatternsAndShipLists() {
        let found = entities("""
            The navy ordered S-400 batteries, Su-30MKI and MiG-29K jets and T-90 tanks. INS Vagir sailed with \
            the frigates Orel, Stoikiy and Admiral Kasatonov. Kilo-class boats followed.
            """)
        let equipment = Set(found.filter { $0.type == .equipment }.map(\.name))
        for name in ["S-400", "Su-30MKI", "MiG-29K", "T-90", "INS Vagir", "Orel", "Stoikiy", "Admiral Kasatonov", "Kilo-class"] {
            #expect(equipment.contains(name), "\(name)")
        }
        #expect(!found.contains { $0.type == .person && $0.name == "Kasatonov" })
    }

    @Test func placesByPrepositionAndCompounds() {
        let found = entities("The envoy stayed in Brelsk before the talks; the France-Spain border stayed shut.")
        #expect(found.contains { $0.name == "Brelsk" && $0.type == .location })
        #expect(found.contains { $0.name == "France" && $0.type == .location })
        #expect(found.contains { $0.name == "Spain" && $0.type == .location })
        #expect(!found.contains { $0.name == "France-Spain" })
        let dotted = entities("Officials in the U.S. and St. Petersburg agreed.")
        #expect(dotted.contains { $0.name == "U.S" && $0.type == .location })
        #expect(dotted.contains { $0.name == "St. Petersburg" && $0.type == .location })
    }

    @Test func demonymsAndAdjectivalCompoundsAreNotEntities() {
        let found = entities("Russian and Indian officials praised the France-led plan and Chinese-built ships.")
        let names = Set(found.map(\.name))
        #expect(!names.contains("Russian"))
        #expect(!names.contains("Indian"))
        #expect(!names.contains("Chinese-built"))
        #expect(found.contains { $0.name == "France" && $0.type == .location })
    }

    @Test func surnamesAndTitleFormsJoinTheFullName() {
        let found = entities("""
            Foreign Minister Halvard Oksen arrived on Tuesday. Oksen said the deal was close. Later, \
            foreign minister Oksen left.
            """)
        let people = found.filter { $0.type == .person }
        #expect(people.count == 1)
        #expect(people.first?.id == "person:halvard-oksen")
        #expect(people.first?.mentions.count == 3)
        #expect(people.first?.aliases == ["Oksen"])
    }

    @Test func acronymsDefinedInTheTextJoinTheirExpansion() {
        let found = entities("""
            The Joint Commission on Harbour & Rail Cooperation (JCHRC-R&P) met. The JCHRC-R&P agreed, and the \
            JCHRC will meet again.
            """)
        let commission = found.first { $0.name == "Joint Commission on Harbour & Rail Cooperation" }
        #expect(commission?.type == .organization)
        #expect(commission?.aliases.contains("JCHRC-R&P") == true)
        #expect(commission?.aliases.contains("JCHRC") == true)
        #expect(commission?.mentions.count == 4)
    }

    @Test func transliterationVariantsShareOneID() {
        let a = entities("Defence Minister Andrey Sokolov spoke.").first { $0.type == .person }
        let b = entities("Defence Minister Andrei Sokolov spoke.").first { $0.type == .person }
        #expect(a?.id == b?.id)
        #expect(a?.id == "person:andrei-sokolov")
        let merged = entities("President Aleksandr Dmitriy Yury spoke. President Alexander Dmitry Yuri left.")
        #expect(merged.filter { $0.type == .person }.count == 1)
    }

    @Test func mentionOffsetsCountUnicodeScalars() {
        let text = "Café owners met “Mayor Zoë Brandt” in Porto."
        let found = entities(text)
        let scalars = Array(text.unicodeScalars)
        for entity in found {
            for mention in entity.mentions {
                let slice = String(String.UnicodeScalarView(scalars[mention.start..<mention.end]))
                #expect(slice == mention.text)
            }
        }
        #expect(found.contains { $0.name == "Zoë Brandt" && $0.type == .person })
    }

    @Test func hostileInputNeitherCrashesNorStalls() {
        let long = String(repeating: "Aa Bb of Cc & Dd (EE) “x ", count: 2_000)
        let result = enricher.enrich(long + "\u{0}\u{FFFF}’s ’ ‘ \"")
        #expect(result.entities.count < 10_000)
        #expect(enricher.enrich("").entities.isEmpty)
    }
}
