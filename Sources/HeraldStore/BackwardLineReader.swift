/// Reads the complete lines of a file from the end towards the start, in chunks, so that finding the last
/// events of a large log does not read the whole file.
struct BackwardLineReader {
    static let chunkSize = 64 * 1024

    private let fd: Int32
    private let path: String
    /// File offset of `buffer[0]`.
    private var bufferStart: Int64
    /// Bytes from `bufferStart` up to `limit`.
    private var buffer: [UInt8] = []
    /// End of the part not yet returned; the byte before it is a newline (or `limit` is 0).
    private var limit: Int64

    /// Starts at `end`, which must be 0 or just after a newline (see ``completeEnd(fd:size:path:)``).
    init(fd: Int32, path: String, end: Int64) {
        self.fd = fd
        self.path = path
        self.bufferStart = end
        self.limit = end
    }

    /// The offset just after the last newline in the first `size` bytes of the file (0 when there is none).
    static func completeEnd(fd: Int32, size: Int64, path: String) throws(StoreError) -> Int64 {
        var position = size
        while position > 0 {
            let count = Int(min(Int64(chunkSize), position))
            let chunk = try Syscall.pread(fd, count: count, offset: position - Int64(count), path: path)
            if let last = chunk.lastIndex(of: 0x0A) {
                return position - Int64(count) + Int64(last) + 1
            }
            position -= Int64(count)
        }
        return 0
    }

    /// The previous complete line (without its newline) and its file offset, or nil at the start of the file.
    mutating func next() throws(StoreError) -> (offset: Int64, line: [UInt8])? {
        guard limit > 0 else { return nil }
        // `buffer[limit - bufferStart - 1]` is the newline ending this line; search backwards from before it.
        var searchFrom = Int(limit - bufferStart) - 2
        while true {
            var k = searchFrom
            while k >= 0, buffer[k] != 0x0A { k -= 1 }
            if k >= 0 {
                let line = Array(buffer[(k + 1)..<(Int(limit - bufferStart) - 1)])
                let offset = bufferStart + Int64(k + 1)
                buffer.removeLast(buffer.count - (k + 1))
                limit = offset
                return (offset, line)
            }
            if bufferStart == 0 {
                let line = Array(buffer[0..<(Int(limit) - 1)])
                buffer.removeAll(keepingCapacity: true)
                limit = 0
                return (0, line)
            }
            let count = Int(min(Int64(Self.chunkSize), bufferStart))
            let chunk = try Syscall.pread(fd, count: count, offset: bufferStart - Int64(count), path: path)
            guard chunk.count == count else {
                throw StoreError(code: .io, path: path, message: "\(path) shrank while it was being read")
            }
            buffer = chunk + buffer
            bufferStart -= Int64(count)
            // Search only the new bytes, never the newline that ends this line.
            searchFrom = min(count - 1, Int(limit - bufferStart) - 2)
        }
    }
}
