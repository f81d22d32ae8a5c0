import BertSentCore

extension SeededGenerator {
    /// A uniform integer in `0..<bound` (Lemire's multiply-high, bias below 2⁻⁴⁰ for any bound a
    /// dataset reaches). Written out, rather than `Int.random(in:using:)`, so that a seed gives the
    /// same data on every Swift version.
    mutating func index(below bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniformly chosen element of a non-empty collection.
    mutating func pick<C: RandomAccessCollection>(_ elements: C) -> C.Element where C.Index == Int {
        elements[elements.startIndex + index(below: elements.count)]
    }
}

extension MutableCollection where Self: RandomAccessCollection, Index == Int {
    /// Fisher–Yates with `SeededGenerator.index(below:)`: the same order for the same seed everywhere.
    mutating func seededShuffle(using generator: inout SeededGenerator) {
        guard count > 1 else { return }
        for offset in stride(from: count - 1, to: 0, by: -1) {
            swapAt(startIndex + offset, startIndex + generator.index(below: offset + 1))
        }
    }
}
