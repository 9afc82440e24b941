/// Reads the complete lines of a file from the end towards the start, in chunks, so that finding the last
/// events of a large log does not read the whole file.
///
/// Linear in the bytes it reads, however long a line is: a line that spans chunks is kept as the list of its
/// pieces and joined once when its start is found (never by prepending each chunk to the bytes read before).
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
    /// Bytes read from the file and bytes copied into returned lines (tests check these grow linearly).
    private(set) var bytesRead = 0
    private(set) var bytesCopied = 0

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
        // The line's pieces that lie after `buffer`, the latest first.
        var later: [ArraySlice<UInt8>] = []
        var laterCount = 0
        // `buffer[end]` is the newline ending this line, or the line continues in `later`.
        var end = Int(limit - bufferStart) - 1
        if end < 0 {
            // Nothing buffered yet: the newline ending this line is the last byte of the chunk before `limit`.
            end = try loadPreviousChunk() - 1
        }
        while true {
            if let k = buffer[0..<end].lastIndex(of: 0x0A) {
                let line = join(buffer[(k + 1)..<end], later, laterCount)
                let offset = bufferStart + Int64(k + 1)
                buffer.removeLast(buffer.count - (k + 1))
                limit = offset
                return (offset, line)
            }
            if bufferStart == 0 {
                let line = join(buffer[0..<end], later, laterCount)
                buffer.removeAll(keepingCapacity: true)
                limit = 0
                return (0, line)
            }
            if end > 0 {
                later.append(buffer[0..<end])
                laterCount += end
            }
            end = try loadPreviousChunk()
        }
    }

    /// Replaces `buffer` with the chunk just before `bufferStart`; returns its size.
    private mutating func loadPreviousChunk() throws(StoreError) -> Int {
        let count = Int(min(Int64(Self.chunkSize), bufferStart))
        let chunk = try Syscall.pread(fd, count: count, offset: bufferStart - Int64(count), path: path)
        guard chunk.count == count else {
            throw StoreError(code: .io, path: path, message: "\(path) shrank while it was being read")
        }
        bytesRead += count
        buffer = chunk
        bufferStart -= Int64(count)
        return count
    }

    private mutating func join(_ head: ArraySlice<UInt8>, _ later: [ArraySlice<UInt8>], _ laterCount: Int)
        -> [UInt8]
    {
        var line: [UInt8] = []
        line.reserveCapacity(head.count + laterCount)
        line.append(contentsOf: head)
        for piece in later.reversed() { line.append(contentsOf: piece) }
        bytesCopied += line.count
        return line
    }
}
