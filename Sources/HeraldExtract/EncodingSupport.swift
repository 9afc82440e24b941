import HeraldHTML

/// Which encodings the HTML parser can decode.
enum EncodingSupport {
    static func isSupported(_ name: String) -> Bool { MarkupParser.supportsEncoding(name) }
}
