/// How ``Gzip/encode(_:compression:)`` compresses.
public enum GzipCompression: Sendable {
    /// Deflate stored blocks: no compression, the simplest valid stream.
    case stored
    /// Fixed-Huffman deflate using only distance-1 matches: runs of one byte value shrink about 150-fold.
    case runLength
}

/// A small gzip (RFC 1952) encoder with no zlib dependency, for serving compressed test responses.
public enum Gzip {
    /// Encodes bytes as a complete gzip member.
    public static func encode(_ data: [UInt8], compression: GzipCompression = .stored) -> [UInt8] {
        // Header: magic, method 8 (deflate), no flags, mtime 0, no extra flags, OS 255 (unknown).
        var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]
        switch compression {
        case .stored: appendStoredDeflate(data, to: &out)
        case .runLength: appendRunLengthDeflate(data, to: &out)
        }
        appendLittleEndian(crc32(data), to: &out)
        appendLittleEndian(UInt32(truncatingIfNeeded: data.count), to: &out)
        return out
    }

    /// The CRC-32 (IEEE 802.3, reflected, as used by gzip and zip) of the bytes.
    public static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xffff_ffff
        for byte in data {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8)
        }
        return crc ^ 0xffff_ffff
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? 0xedb8_8320 ^ (value >> 1) : value >> 1
        }
        return value
    }

    private static func appendLittleEndian(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// Stored blocks of at most 65 535 bytes; each block header (BFINAL, BTYPE 00) is padded to a byte.
    private static func appendStoredDeflate(_ data: [UInt8], to out: inout [UInt8]) {
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let isFinal = offset + length == data.count
            out.append(isFinal ? 1 : 0)
            let len = UInt16(length)
            out += [UInt8(len & 0xff), UInt8(len >> 8), UInt8(~len & 0xff), UInt8(~len >> 8)]
            out += data[offset..<offset + length]
            offset += length
        } while offset < data.count
    }

    /// One fixed-Huffman block (BTYPE 01): literals, plus length/distance-1 matches for repeated bytes.
    private static func appendRunLengthDeflate(_ data: [UInt8], to out: inout [UInt8]) {
        var writer = BitWriter()
        writer.write(1, bits: 1)  // BFINAL
        writer.write(1, bits: 2)  // BTYPE 01, fixed Huffman
        var index = 0
        while index < data.count {
            var run = 0
            if index > 0 {
                let previous = data[index - 1]
                while run < 258 && index + run < data.count && data[index + run] == previous { run += 1 }
            }
            if run >= 3 {
                writeLength(run, to: &writer)
                writer.writeHuffman(0, bits: 5)  // distance code 0 = distance 1, no extra bits
                index += run
            } else {
                writeLiteral(Int(data[index]), to: &writer)
                index += 1
            }
        }
        writeLiteral(256, to: &writer)  // end of block
        out += writer.finish()
    }

    /// Fixed Huffman code for a literal/length symbol (RFC 1951 section 3.2.6).
    private static func writeLiteral(_ symbol: Int, to writer: inout BitWriter) {
        switch symbol {
        case 0...143: writer.writeHuffman(UInt32(0x30 + symbol), bits: 8)
        case 144...255: writer.writeHuffman(UInt32(0x190 + symbol - 144), bits: 9)
        case 256...279: writer.writeHuffman(UInt32(symbol - 256), bits: 7)
        default: writer.writeHuffman(UInt32(0xc0 + symbol - 280), bits: 8)
        }
    }

    private static let lengthBases = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtraBits = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]

    private static func writeLength(_ length: Int, to writer: inout BitWriter) {
        var code = lengthBases.count - 1
        while lengthBases[code] > length { code -= 1 }
        writeLiteral(257 + code, to: &writer)
        let extra = lengthExtraBits[code]
        if extra > 0 { writer.write(UInt32(length - lengthBases[code]), bits: extra) }
    }
}

/// Packs bits least-significant first, as deflate requires.
private struct BitWriter {
    private var bytes: [UInt8] = []
    private var buffer: UInt32 = 0
    private var count = 0

    /// Writes a value's low `bits` bits, least significant first (extra bits, block headers).
    mutating func write(_ value: UInt32, bits: Int) {
        buffer |= (value & ((1 << UInt32(bits)) - 1)) << UInt32(count)
        count += bits
        while count >= 8 {
            bytes.append(UInt8(buffer & 0xff))
            buffer >>= 8
            count -= 8
        }
    }

    /// Writes a Huffman code, which deflate stores most significant bit first.
    mutating func writeHuffman(_ code: UInt32, bits: Int) {
        var reversed: UInt32 = 0
        for bit in 0..<bits where code & (1 << UInt32(bit)) != 0 {
            reversed |= 1 << UInt32(bits - 1 - bit)
        }
        write(reversed, bits: bits)
    }

    mutating func finish() -> [UInt8] {
        if count > 0 { bytes.append(UInt8(buffer & 0xff)) }
        buffer = 0
        count = 0
        return bytes
    }
}
