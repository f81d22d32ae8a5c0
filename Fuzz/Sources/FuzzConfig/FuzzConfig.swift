import BertSent
import Foundation
import FuzzSupport

// config.json on any bytes: reading throws a FormatError, or gives a config that validates, whose sizes and
// labels are usable, and that reads back the same from the JSON it writes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let json = Data(UnsafeBufferPointer(start: start, count: count))
    let config: BertConfig
    do {
        config = try BertConfig(json: json)
    } catch {
        require(error is FormatError, "reading threw \(type(of: error)), not a FormatError: \(error)")
        return 0
    }
    do {
        try config.validate()
    } catch {
        fatalError("property violated: a config that was read does not validate: \(error)")
    }
    require(config.headSize * config.numAttentionHeads == config.hiddenSize, "heads do not split the hidden size")
    // A one-logit sigmoid head still reports two classes.
    require(
        config.numLabels >= 1 && config.classNames.count == max(2, config.numLabels), "no labels, or classes missing")
    let written: Data
    do {
        written = try config.jsonData()
    } catch {
        fatalError("property violated: a config that was read cannot be written: \(error)")
    }
    do {
        let reread = try BertConfig(json: written)
        require(reread == config, "the written config reads back different")
        require(
            reread.id2label == config.id2label && reread.vocabSize == config.vocabSize
                && reread.architecture == config.architecture,
            "the written config reads back with other labels, vocabulary size or architecture")
    } catch {
        fatalError("property violated: the written config does not read back: \(error)")
    }
    return 0
}
