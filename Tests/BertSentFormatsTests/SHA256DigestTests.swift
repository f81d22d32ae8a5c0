import BertSent
import BertSentTestSupport
import Foundation
import Testing

/// LFS downloads are checked against their SHA-256 (swift-crypto's), as hex.
@Suite struct SHA256DigestTests {
    @Test func knownVectors() {
        #expect(SHA256Digest.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256Digest.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func fileDigestReadsInPiecesAndMatchesTheFixture() throws {
        let url = Fixtures.url("model/tiny-legacy/model.safetensors")
        #expect(try SHA256Digest.hex(fileAt: url, what: "the file") == SHA256Digest.hex(try Data(contentsOf: url)))
        #expect(
            try SHA256Digest.hex(fileAt: url, what: "the file")
                == "9728b7ba6429a8b490bb93b817819c23c598d9000b032251b7dc31824676b0de")
        let large = try temporaryDirectory().appendingPathComponent("large.bin")
        try Data(repeating: UInt8(ascii: "a"), count: 1_000_000 + (1 << 20)).write(to: large)
        #expect(try SHA256Digest.hex(fileAt: large, what: "the file") == SHA256Digest.hex(try Data(contentsOf: large)))
        #expect(throws: FileError.self) {
            try SHA256Digest.hex(fileAt: large.appendingPathExtension("missing"), what: "the file")
        }
    }
}
