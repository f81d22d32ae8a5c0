import BertSent
import Foundation
import Testing

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var hasher = SHA256()
        for piece in [0..<1, 1..<63, 63..<64, 64..<200, 200..<1000] { hasher.update(bytes[piece]) }
        #expect(hasher.hexDigest() == SHA256.hex(bytes))
    }

    @Test func fileDigestMatchesFixture() throws {
        let url = Fixtures.url("model/tiny-legacy/model.safetensors")
        #expect(try SHA256.hex(fileAt: url) == SHA256.hex(Array(try Data(contentsOf: url))))
        #expect(try SHA256.hex(fileAt: url) == "9728b7ba6429a8b490bb93b817819c23c598d9000b032251b7dc31824676b0de")
    }
}
