/// An open-addressing hash table from WordPiece pieces, given as Unicode scalar values, to vocabulary ids.
///
/// WordPiece tries many substrings of every word; keying a `Dictionary` by `String` would build a String per
/// try. Here a candidate is hashed incrementally from the scalars of the word itself, so a lookup allocates
/// nothing. Word-initial pieces and continuation pieces (stored without their `##` prefix) are kept apart by
/// seeding their hashes differently.
struct PieceTable: Sendable {
    private var storage: [UInt32] = []
    private var entryStart: [Int32] = []
    private var entryLength: [Int32] = []
    private var entryId: [Int32] = []
    private var entryIsContinuation: [Bool] = []
    private var slots: [Int32]
    private let slotMask: Int
    /// The most scalars any piece has; WordPiece never needs to try a longer candidate.
    private(set) var maxPieceLength = 0

    /// Builds the table from tokens in id order. A later duplicate of a token wins, as in Python's `load_vocab`.
    init(tokens: [String], continuingPrefix: String) {
        let prefix = Array(continuingPrefix.unicodeScalars.map(\.value))
        var capacity = 16
        while capacity < tokens.count * 4 { capacity <<= 1 }
        slots = Array(repeating: -1, count: capacity)
        slotMask = capacity - 1
        for (id, token) in tokens.enumerated() {
            let scalars = Array(token.unicodeScalars.map(\.value))
            insert(scalars[...], id: Int32(id), continuation: false)
            if !prefix.isEmpty, scalars.count > prefix.count, scalars.starts(with: prefix) {
                insert(scalars[prefix.count...], id: Int32(id), continuation: true)
            }
        }
    }

    static func seed(continuation: Bool) -> UInt64 { continuation ? 0x9E37_79B9_7F4A_7C15 : 0xCBF2_9CE4_8422_2325 }

    /// FNV-1a step over one scalar.
    @inline(__always)
    static func mix(_ hash: UInt64, _ scalar: UInt32) -> UInt64 { (hash ^ UInt64(scalar)) &* 0x0000_0100_0000_01B3 }

    @inline(__always)
    private func slot(_ hash: UInt64) -> Int {
        Int(truncatingIfNeeded: (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9 >> 17) & slotMask
    }

    private mutating func insert(_ piece: ArraySlice<UInt32>, id: Int32, continuation: Bool) {
        let hash = piece.reduce(Self.seed(continuation: continuation), Self.mix)
        let found = piece.withUnsafeBufferPointer { find(hash: hash, piece: $0, continuation: continuation) }
        if let entry = found.entry {
            entryId[entry] = id
            return
        }
        slots[found.slot] = Int32(entryId.count)
        entryStart.append(Int32(storage.count))
        entryLength.append(Int32(piece.count))
        entryId.append(id)
        entryIsContinuation.append(continuation)
        storage.append(contentsOf: piece)
        maxPieceLength = max(maxPieceLength, piece.count)
    }

    /// The entry holding `piece`, or the empty slot where it would go.
    @inline(__always)
    private func find(hash: UInt64, piece: UnsafeBufferPointer<UInt32>, continuation: Bool) -> (entry: Int?, slot: Int)
    {
        var index = slot(hash)
        while true {
            let entry = Int(slots[index])
            if entry < 0 { return (nil, index) }
            if entryIsContinuation[entry] == continuation, Int(entryLength[entry]) == piece.count {
                let start = Int(entryStart[entry])
                var equal = true
                for offset in 0..<piece.count where storage[start + offset] != piece[offset] {
                    equal = false
                    break
                }
                if equal { return (entry, index) }
            }
            index = (index + 1) & slotMask
        }
    }

    /// The id of `piece`, whose hash from `seed(continuation:)` and `mix` is `hash`.
    @inline(__always)
    func id(hash: UInt64, piece: UnsafeBufferPointer<UInt32>, continuation: Bool) -> Int32? {
        find(hash: hash, piece: piece, continuation: continuation).entry.map { entryId[$0] }
    }
}
