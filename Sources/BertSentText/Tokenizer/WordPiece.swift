/// Greedy longest-match-first WordPiece over the Unicode scalars of one word (never grapheme clusters, which
/// would glue combining marks and Hangul jamo to their base).
struct WordPiece: Sendable {
    let table: PieceTable
    let unknownId: Int32
    /// Words with more scalars than this become one unknown token (100 in BERT).
    let maxInputCharsPerWord: Int

    /// Appends the ids of `word`'s pieces to `ids`; a word with any unmatched position becomes one unknown id.
    func encode(_ word: UnsafeBufferPointer<UInt32>, into ids: inout [Int32]) {
        let count = word.count
        if count == 0 { return }
        if count > maxInputCharsPerWord {
            ids.append(unknownId)
            return
        }
        let firstPiece = ids.count
        let longest = min(count, table.maxPieceLength)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(longest, 1)) { hashes in
            var start = 0
            while start < count {
                let continuation = start > 0
                let limit = min(count, start + longest)
                // Hash every candidate [start, end) in one forward pass, then try them longest first.
                var hash = PieceTable.seed(continuation: continuation)
                for end in start..<limit {
                    hash = PieceTable.mix(hash, word[end])
                    hashes[end - start] = hash
                }
                var end = limit
                var matched: Int32?
                while end > start {
                    let piece = UnsafeBufferPointer(rebasing: word[start..<end])
                    if let id = table.id(hash: hashes[end - start - 1], piece: piece, continuation: continuation) {
                        matched = id
                        break
                    }
                    end -= 1
                }
                guard let id = matched else {
                    ids.removeSubrange(firstPiece...)
                    ids.append(unknownId)
                    return
                }
                ids.append(id)
                start = end
            }
        }
    }
}
