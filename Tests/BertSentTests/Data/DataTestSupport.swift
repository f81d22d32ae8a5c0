import BertSent
import Foundation

/// The CSV fixtures of Tests/Fixtures/data (byte-exact: CRLF, a byte-order mark, invalid UTF-8).
func dataFixture(_ name: String) -> URL { Fixtures.url("data/\(name)") }

/// The `MessageError` `body` throws, or nil when it throws nothing or something else.
func bertSentError(_ body: () throws -> Void) -> MessageError? {
    do {
        try body()
        return nil
    } catch {
        return error as? MessageError
    }
}
