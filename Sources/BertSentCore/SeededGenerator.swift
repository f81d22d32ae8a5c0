import Foundation

/// A seeded xoshiro256** generator: the one source of randomness (head initialisation, dropout, data
/// order), so a seed reproduces a run exactly. Its state is four words, which checkpoints save.
package struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    package private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    package init(seed: UInt64) {
        // SplitMix64 spreads the seed over the state, as xoshiro's authors recommend.
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// A seed made from `parts` (e.g. a run's seed, a step and a text's index): each mixed in with SplitMix64's
    /// finaliser, so nearby inputs give unrelated seeds.
    package static func key(_ parts: UInt64...) -> UInt64 {
        parts.reduce(0x6A09_E667_F3BC_C908) { key, part in
            var z = key ^ (part &+ 0x9E37_79B9_7F4A_7C15)
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    package init(state: (UInt64, UInt64, UInt64, UInt64)) {
        self.state = state
    }

    /// The state as four words, for saving in a checkpoint.
    package var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    /// Restores a generator saved with `stateWords`.
    package init(stateWords words: [UInt64]) throws {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else {
            throw CoreError.invalidGeneratorState(words)
        }
        state = (words[0], words[1], words[2], words[3])
    }

    package mutating func next() -> UInt64 {
        let result = rotl(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotl(state.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 24 bits, the resolution of a Float.
    package mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1 / Float(1 << 24))
    }

    /// A standard normal sample (Box–Muller).
    package mutating func nextNormal() -> Float {
        let u1 = max(Double(next() >> 11) * 0x1p-53, .leastNonzeroMagnitude)
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }

    package static func == (a: SeededGenerator, b: SeededGenerator) -> Bool {
        a.state == b.state
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
