import BertSent
import BertSentTestSupport
import Foundation

/// The CSV fixtures of Tests/Fixtures/data (byte-exact: CRLF, a byte-order mark, invalid UTF-8).
func dataFixture(_ name: String) -> URL { Fixtures.url("data/\(name)") }
