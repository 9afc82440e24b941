/// Which encodings the HTML parser can decode (placeholder until HeraldHTML lands).
enum EncodingSupport {
    static func isSupported(_ name: String) -> Bool { true }
}
