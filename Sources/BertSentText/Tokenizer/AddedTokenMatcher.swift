/// Finds added tokens (`[CLS]`, `[SEP]`, …) in raw text, before any cleaning or lowercasing: both reference
/// implementations match them case-sensitively and take the leftmost, then longest, match.
struct AddedTokenMatcher: Sendable {
    private let tokens: [(scalars: [UInt32], id: Int32)]
    private let firstScalars: Set<UInt32>

    init(_ tokens: [(content: String, id: Int32)]) {
        self.tokens = tokens.map { (Array($0.content.unicodeScalars.map(\.value)), $0.id) }
            .filter { !$0.0.isEmpty }
            .sorted { $0.scalars.count > $1.scalars.count }
        firstScalars = Set(self.tokens.map { $0.scalars[0] })
    }

    /// Calls `text` for each stretch between added tokens and `token` for each added token, in order.
    func split(
        _ input: UnsafeBufferPointer<UInt32>, text: (UnsafeBufferPointer<UInt32>) -> Void, token: (Int32) -> Void
    ) {
        var segmentStart = 0
        var index = 0
        while index < input.count {
            if firstScalars.contains(input[index]), let match = match(input, at: index) {
                if segmentStart < index { text(UnsafeBufferPointer(rebasing: input[segmentStart..<index])) }
                token(match.id)
                index += match.length
                segmentStart = index
            } else {
                index += 1
            }
        }
        if segmentStart < input.count { text(UnsafeBufferPointer(rebasing: input[segmentStart...])) }
    }

    private func match(_ input: UnsafeBufferPointer<UInt32>, at index: Int) -> (id: Int32, length: Int)? {
        for candidate in tokens where candidate.scalars.count <= input.count - index {
            if candidate.scalars.indices.allSatisfy({ input[index + $0] == candidate.scalars[$0] }) {
                return (candidate.id, candidate.scalars.count)
            }
        }
        return nil
    }
}
