import BertSent
import FuzzSupport

// Loading a tokenizer folder from any file: loading throws a TokenizerError, or gives a tokenizer whose special
// tokens are in its vocabulary and that encodes texts into ids inside it, within the maximum length.
//
// Input: byte 0 picks the file the rest becomes: tokenizer.json, vocab.txt, or tokenizer_config.json or
// special_tokens_map.json beside a small vocab.txt.

/// The files the first byte chooses between; the last two come with `smallVocabulary`.
private let fileNames = ["tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"]

/// The vocab.txt beside a fuzzed tokenizer_config.json or special_tokens_map.json: BERT's special tokens, a few
/// words and pieces, and tokens a config might name instead.
private let smallVocabulary = Array(
    "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\nworld\n##s\na\n<s>\n</s>\n<unk>\n<pad>\n".utf8)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizerFiles(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = UnsafeBufferPointer(start: start, count: count)
    guard let choice = input.first else { return 0 }
    let fileName = fileNames[Int(choice) % fileNames.count]
    fileNames.forEach(ScratchFiles.remove)
    _ = ScratchFiles.write(input.dropFirst(), to: fileName)
    if fileName.hasSuffix("config.json") || fileName.hasSuffix("map.json") {
        _ = ScratchFiles.write(smallVocabulary, to: "vocab.txt")
    }
    let tokenizer: BertTokenizer
    do {
        tokenizer = try BertTokenizer(directory: ScratchFiles.directory)
    } catch {
        require(error is TokenizerError, "loading threw \(type(of: error)), not a TokenizerError: \(error)")
        return 0
    }
    let size = tokenizer.vocabularySize
    let specialIds =
        [tokenizer.clsId, tokenizer.sepId, tokenizer.padId, tokenizer.unkId] + [tokenizer.maskId].compactMap { $0 }
    require(specialIds.allSatisfy { (0..<Int32(size)).contains($0) }, "a special token id is outside the vocabulary")
    // The input's own bytes as a text use the tokens it names.
    for text in ["Hello worlds, [MASK] a <s> test!", String(decoding: input.prefix(300), as: UTF8.self)] {
        do {
            let encoding = try tokenizer.encode(text, pair: "a pair", maxLength: 64)
            require(encoding.ids.allSatisfy { (0..<Int32(size)).contains($0) }, "an id is outside the vocabulary")
            require(encoding.count <= 64, "\(encoding.count) tokens, more than the maximum length 64")
            require(encoding.ids.first == tokenizer.clsId, "the encoding does not start with [CLS]")
        } catch {
            require(error is TokenizerError, "encoding threw \(type(of: error)), not a TokenizerError: \(error)")
        }
    }
    return 0
}
