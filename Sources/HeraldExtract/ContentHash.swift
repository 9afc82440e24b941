/// The content hash Herald uses to recognise the same article text across fetches and outlets' reprints.
public enum ContentHash {
    /// Lowercase hex SHA-256 of `TextNormalizer.normalize(text)` encoded as UTF-8.
    public static func of(_ text: String) -> String {
        SHA256.hex(Array(TextNormalizer.normalize(text).utf8))
    }
}
