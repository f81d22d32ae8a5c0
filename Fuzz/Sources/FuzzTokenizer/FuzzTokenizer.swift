import BertSent
import FuzzSupport

// The tokenizer on any bytes, with the default model's real vocabulary: encoding never crashes, ids are in the
// vocabulary, a truncated encoding fits its maximum length, and a text encodes the same alone as in a batch
// (where it shares scratch buffers with its neighbours).
//
// Input: byte 0 picks the tokenizer (flavor, truncation side), the truncation strategy and whether the text is
// prepared (cleaned) first; byte 1 is the maximum length (0 to 255, so also too short for the special tokens);
// the rest is the text, and after its first NUL byte the pair. Invalid UTF-8 becomes U+FFFD, as in a request.

/// The fast (tokenizer.json) and slow (vocab.txt) tokenizers, each with the three truncation sides.
private let tokenizers: [BertTokenizer] = {
    do {
        let loaded = try [BertTokenizer.Flavor.fast, .slow].map {
            try BertTokenizer(directory: defaultModelDirectory, flavor: $0)
        }
        return try loaded.flatMap { tokenizer in
            try [TruncationSide.head, .tail, .headTail].map { side in
                try tokenizer.with { $0.truncationSide = side }
            }
        }
    } catch {
        fatalError("cannot load the tokenizer of \(defaultModelDirectory.path) (run scripts/setup.sh): \(error)")
    }
}()

/// Texts encoded before and after the input in the batch, so it shares scratch buffers with them.
private let neighbours = ("A <b>neighbour</b> before, don't", "après 後 🙂 [SEP] after")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeBufferPointer(start: start, count: count)
    guard input.count >= 2 else { return 0 }
    let settings = Int(input[0])
    let tokenizer = tokenizers[settings % tokenizers.count]
    let truncation = TruncationStrategy.allCases[settings / tokenizers.count % TruncationStrategy.allCases.count]
    let prepares = settings / (tokenizers.count * TruncationStrategy.allCases.count) % 2 == 1
    let maxLength = Int(input[1])
    let parts = input.dropFirst(2).split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    var text = String(decoding: parts[0], as: UTF8.self)
    var pair = parts.count > 1 ? String(decoding: parts[1], as: UTF8.self) : nil
    if prepares {
        text = tokenizer.prepare(text)
        pair = pair.map(tokenizer.prepare)
    }

    func encode(_ text: String, pair: String?) -> Result<Encoding, any Error> {
        Result { try tokenizer.encode(text, pair: pair, maxLength: maxLength, truncation: truncation) }
    }
    let alone = encode(text, pair: pair)
    switch alone {
    case .success(let encoding):
        check(encoding, of: tokenizer, hasPair: pair != nil, maxLength: truncation == .doNotTruncate ? nil : maxLength)
    case .failure(let error):
        require(error is TokenizerError, "encoding threw \(type(of: error)), not a TokenizerError: \(error)")
    }

    let before = encode(neighbours.0, pair: pair.map { _ in neighbours.1 })
    let after = encode(neighbours.1, pair: pair.map { _ in neighbours.0 })
    let batch = Result {
        try tokenizer.encodeBatch(
            [neighbours.0, text, neighbours.1], pairs: pair.map { [neighbours.1, $0, neighbours.0] },
            maxLength: maxLength, truncation: truncation, padding: .doNotPad)
    }
    switch (before, alone, after, batch) {
    case (.success(let first), .success(let middle), .success(let last), .success(let encodings)):
        require(encodings == [first, middle, last], "the batch encodes the text differently from encoding it alone")
    case (.success, .success, .success, .failure(let error)):
        fatalError("property violated: the batch threw \(error), though each of its texts encodes alone")
    case (_, _, _, .success):
        fatalError("property violated: the batch encoded texts of which one throws alone")
    default:
        break
    }
    if case .success(let encoding) = alone { _ = tokenizer.decode(encoding.ids, skipSpecialTokens: prepares) }
    return 0
}

/// Checks the shape of an encoding: parallel arrays, ids in the vocabulary naming its tokens, `[CLS]` first and
/// `[SEP]` last, token types 0 then 1 (with a pair), every position attended, and at most `maxLength` long.
private func check(_ encoding: Encoding, of tokenizer: BertTokenizer, hasPair: Bool, maxLength: Int?) {
    let count = encoding.ids.count
    require(
        [encoding.tokenTypeIds.count, encoding.attentionMask.count, encoding.tokens.count].allSatisfy { $0 == count },
        "the encoding's arrays differ in length")
    for (id, token) in zip(encoding.ids, encoding.tokens) {
        require(
            (0..<tokenizer.vocabularySize).contains(Int(id)),
            "id \(id) is outside the vocabulary of \(tokenizer.vocabularySize)")
        require(tokenizer.vocabulary[Int(id)] == token, "token \(token) does not match id \(id)")
    }
    require(encoding.ids.first == tokenizer.clsId && encoding.ids.last == tokenizer.sepId, "not [CLS] … [SEP]")
    require(encoding.attentionMask.allSatisfy { $0 == 1 }, "an unpadded encoding has a masked position")
    require(encoding.tokenTypeIds == encoding.tokenTypeIds.sorted(), "token types are not 0s then 1s")
    require(
        encoding.tokenTypeIds.allSatisfy { $0 == 0 || $0 == 1 } && encoding.tokenTypeIds.contains(1) == hasPair,
        "token types are not 0 for the text and 1 for the pair")
    if let maxLength { require(count <= maxLength, "\(count) tokens, more than the maximum length \(maxLength)") }
}
