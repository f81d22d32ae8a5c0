import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// The inputs that crashed the fuzz targets of this module's readers (Tests/Fixtures/fuzz-crashes): each is now
/// read or refused with a `FormatError`.
@Suite struct FuzzCrashTests {
    @Test(arguments: FuzzCrashes.inputs("safetensors"))
    func safeTensorsFileIsReadOrRefused(_ input: URL) throws {
        let size = try Data(contentsOf: input).count
        do {
            let file = try SafeTensorsFile(url: input)
            for (name, info) in file.tensors {
                #expect(file.dataStart + info.range.upperBound <= size, "tensor \(name) ends past the file")
            }
        } catch let error as FormatError {
            #expect(!error.description.isEmpty)
        }
    }

    @Test(arguments: FuzzCrashes.inputs("config"))
    func configIsReadOrRefused(_ input: URL) throws {
        do {
            let config = try BertConfig(contentsOf: input)
            try config.validate()
            #expect(try BertConfig(json: config.jsonData()) == config)
        } catch let error as FormatError {
            #expect(!error.description.isEmpty)
        }
    }
}
