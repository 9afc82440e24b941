import Testing

@testable import HeraldExtract

@Suite struct TextNormalizerTests {
    @Test func composesToNFC() {
        #expect(TextNormalizer.normalize("e\u{301}") == "é")
        #expect(TextNormalizer.normalize("Cafe\u{301} au lait") == TextNormalizer.normalize("Café au lait"))
        #expect(TextNormalizer.normalize("e\u{301}").unicodeScalars.count == 1)
    }

    @Test func collapsesWhitespaceRuns() {
        #expect(TextNormalizer.normalize("  a \t\n b\r\n\nc  ") == "a b c")
        #expect(TextNormalizer.normalize("a\u{A0}\u{A0}b\u{2009}c\u{3000}d") == "a b c d")
        #expect(TextNormalizer.normalize("one\n\ntwo") == "one two")
    }

    @Test func keepsCaseAndPunctuation() {
        #expect(TextNormalizer.normalize("Hello, World!") == "Hello, World!")
        #expect(TextNormalizer.normalize("ÉCOLE  école") == "ÉCOLE école")
    }

    @Test func emptyAndBlank() {
        #expect(TextNormalizer.normalize("") == "")
        #expect(TextNormalizer.normalize(" \n\u{A0} ") == "")
    }
}

@Suite struct ContentHashTests {
    @Test func isSHA256OfNormalisedText() {
        #expect(ContentHash.of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.of("  abc\n") == ContentHash.of("abc"))
    }

    @Test func stableUnderWhitespaceChanges() {
        let a = "First paragraph.\n\nSecond   paragraph."
        let b = "First paragraph. Second\u{A0}paragraph.  "
        #expect(ContentHash.of(a) == ContentHash.of(b))
    }

    @Test func stableUnderUnicodeNormalisationForm() {
        #expect(ContentHash.of("Ame\u{301}lie") == ContentHash.of("Amélie"))
    }

    @Test func differsUnderCaseChanges() {
        #expect(ContentHash.of("Breaking news") != ContentHash.of("breaking news"))
    }

    @Test func isLowercaseHex() {
        let hash = ContentHash.of("x")
        #expect(hash.count == 64)
        #expect(hash.allSatisfy { "0123456789abcdef".contains($0) })
    }
}
