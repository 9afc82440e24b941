import Testing

@testable import HeraldExtract

@Suite struct CharsetSnifferTests {
    private func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test func httpHeaderWins() {
        let page = bytes("<meta charset=\"shift_jis\"><p>hi</p>")
        #expect(CharsetSniffer.detect(page, httpContentType: "text/html; charset=EUC-KR") == "euc-kr")
        #expect(CharsetSniffer.detect(page, httpContentType: "text/html; charset=\"UTF-8\"") == "utf-8")
    }

    @Test func headerWithoutCharsetFallsThrough() {
        let page = bytes("<meta charset=\"shift_jis\"><p>hi</p>")
        #expect(CharsetSniffer.detect(page, httpContentType: "text/html") == "shift_jis")
    }

    @Test func validMultiByteUTF8OutranksAStaleMetaDeclaration() {
        let page = bytes("<meta charset=\"iso-8859-1\"><p>Grüße, “quoted”</p>")
        #expect(CharsetSniffer.detect(page, httpContentType: nil) == "utf-8")
        #expect(CharsetSniffer.detect(page, httpContentType: "text/html; charset=latin1") == "windows-1252")
        // Plain ASCII, or bytes that are not UTF-8, keep the declaration.
        #expect(CharsetSniffer.detect(bytes("<meta charset=\"euc-kr\"><p>ascii</p>"), httpContentType: nil) == "euc-kr")
        let latin1 = bytes("<meta charset=\"iso-8859-1\"><p>Gr") + [0xFC, 0xDF] + bytes("e</p>")
        #expect(CharsetSniffer.detect(latin1, httpContentType: nil) == "windows-1252")
    }

    @Test func byteOrderMark() {
        #expect(CharsetSniffer.detect([0xEF, 0xBB, 0xBF] + bytes("<p>x</p>"), httpContentType: nil) == "utf-8")
        #expect(CharsetSniffer.detect([0xFF, 0xFE, 0x3C, 0x00], httpContentType: nil) == "utf-16le")
        #expect(CharsetSniffer.detect([0xFE, 0xFF, 0x00, 0x3C], httpContentType: nil) == "utf-16be")
    }

    @Test func metaCharset() {
        #expect(CharsetSniffer.detect(bytes("<html><head><meta charset=EUC-KR>"), httpContentType: nil) == "euc-kr")
        #expect(CharsetSniffer.detect(bytes("<META CHARSET='Shift_JIS'/>"), httpContentType: nil) == "shift_jis")
    }

    @Test func metaHttpEquiv() {
        let page = bytes(
            "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head>")
        #expect(CharsetSniffer.detect(page, httpContentType: nil) == "windows-1252")
        let reversed = bytes("<meta content='text/html; charset=windows-1251' http-equiv='content-type'>")
        #expect(CharsetSniffer.detect(reversed, httpContentType: nil) == "windows-1251")
    }

    @Test func metaInsideCommentIsIgnored() {
        let page = bytes("<!-- <meta charset=\"shift_jis\"> --><p>plain ascii</p>")
        #expect(CharsetSniffer.detect(page, httpContentType: nil) == "utf-8")
    }

    @Test func metaAfterFourKilobytesIsIgnored() {
        let page = bytes("<p>" + String(repeating: "x", count: 5000) + "</p><meta charset=\"euc-kr\">")
        #expect(CharsetSniffer.detect(page, httpContentType: nil) == "utf-8")
    }

    @Test func metaDeclaringUTF16MeansUTF8() {
        #expect(CharsetSniffer.detect(bytes("<meta charset=\"utf-16\">"), httpContentType: nil) == "utf-8")
    }

    @Test func undeclaredValidUTF8() {
        #expect(CharsetSniffer.detect(bytes("<p>Café — “quoted”</p>"), httpContentType: nil) == "utf-8")
    }

    @Test func undeclaredInvalidUTF8IsWindows1252() {
        // "Café" in windows-1252: 0xE9 alone is not valid UTF-8.
        let page = bytes("<p>Caf") + [0xE9] + bytes(" au lait ") + [0x93, 0x71, 0x94] + bytes("</p>")
        #expect(CharsetSniffer.detect(page, httpContentType: nil) == "windows-1252")
    }

    @Test func aliasesMapLikeBrowsers() {
        #expect(CharsetSniffer.canonicalName("ISO-8859-1") == "windows-1252")
        #expect(CharsetSniffer.canonicalName("latin1") == "windows-1252")
        #expect(CharsetSniffer.canonicalName("US-ASCII") == "windows-1252")
        #expect(CharsetSniffer.canonicalName("UTF8") == "utf-8")
        #expect(CharsetSniffer.canonicalName("x-sjis") == "shift_jis")
        #expect(CharsetSniffer.canonicalName("ks_c_5601-1987") == "euc-kr")
        #expect(CharsetSniffer.canonicalName("GB2312") == "gb18030")
        #expect(CharsetSniffer.canonicalName("") == nil)
    }

    @Test func unsupportedDeclarationFallsBackToSniffing() {
        let page = bytes("<meta charset=\"x-klingon\"><p>ascii</p>")
        let name = CharsetSniffer.detect(page, httpContentType: nil, isSupported: { $0 != "x-klingon" })
        #expect(name == "utf-8")
    }

    @Test func utf8Validation() {
        #expect(CharsetSniffer.isValidUTF8(bytes("plain")))
        #expect(CharsetSniffer.isValidUTF8(bytes("日本語")))
        #expect(!CharsetSniffer.isValidUTF8([0xC0, 0xAF]))  // overlong
        #expect(!CharsetSniffer.isValidUTF8([0xED, 0xA0, 0x80, 0x41]))  // surrogate
        #expect(!CharsetSniffer.isValidUTF8([0x41, 0x92, 0x41]))
        #expect(CharsetSniffer.isValidUTF8(bytes("ab") + [0xE6, 0x97]))  // truncated at the end
    }
}

@Suite struct CharsetSupportTests {
    @Test(arguments: [
        "utf-8", "latin1", "shift_jis", "euc-jp", "iso-2022-jp", "euc-kr", "gbk", "big5", "koi8-r", "koi8-u",
        "windows-1251", "windows-1250", "iso-8859-2", "iso-8859-15", "tis-620", "iso-8859-9", "utf-16le", "utf-16be",
    ])
    func canonicalNamesAreDecodable(_ label: String) throws {
        let name = try #require(CharsetSniffer.canonicalName(label))
        #expect(EncodingSupport.isSupported(name), "\(label) → \(name) is not supported by the parser")
    }

    @Test func detectedNamesAreAlwaysSupported() {
        for declared in ["x-unknown-charset", "utf-8", "windows-1251", "euc-kr"] {
            let page = Array("<meta charset=\"\(declared)\"><p>text</p>".utf8)
            #expect(EncodingSupport.isSupported(CharsetSniffer.detect(page, httpContentType: nil)))
        }
    }
}
