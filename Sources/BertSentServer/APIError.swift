import Foundation
import Hummingbird

/// An error answered as text-embeddings-inference does: `{"error": "...", "error_type": "..."}` with the
/// matching status code.
package struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    /// TEI's error kinds, plus the HTTP-level ones TEI leaves to its framework.
    package enum Kind: String, Sendable, Codable {
        case validation = "Validation"
        case tokenizer = "Tokenizer"
        case overloaded = "Overloaded"
        case empty = "Empty"
        case backend = "Backend"
        case unhealthy = "Unhealthy"
        case unauthorized = "Unauthorized"
        case notFound = "NotFound"
        case methodNotAllowed = "MethodNotAllowed"
        case requestTimeout = "RequestTimeout"
    }

    /// The HTTP status the error is answered with.
    package let status: HTTPResponse.Status
    /// The body's `error_type`.
    package let kind: Kind
    /// What went wrong, for the client: the body's `error`.
    package let message: String
    /// Extra response headers (`Allow` for 405, `WWW-Authenticate` for 401).
    package var headers: HTTPFields = [:]

    /// An error answered with `status`, `kind` as `error_type` and `message` as `error`.
    package init(_ status: HTTPResponse.Status, _ kind: Kind, _ message: String) {
        self.status = status
        self.kind = kind
        self.message = message
    }

    package var description: String { "\(status.code) \(kind.rawValue): \(message)" }

    /// The wire form of an error.
    package struct Body: Codable, Sendable, Equatable {
        /// The message.
        package let error: String
        /// The kind's name, such as `Validation`; `error_type` in JSON.
        package let errorType: String

        enum CodingKeys: String, CodingKey {
            case error
            case errorType = "error_type"
        }
    }

    /// Answers with the JSON body, `status` and `headers`.
    package func response(from request: Request, context: some RequestContext) throws -> Response {
        .json(
            try JSONEncoder.api.encode(Body(error: message, errorType: kind.rawValue)), status: status, headers: headers
        )
    }
}

extension APIError {
    static func validation(_ message: String) -> APIError { APIError(.unprocessableContent, .validation, message) }
    static func empty(_ message: String) -> APIError { APIError(.badRequest, .empty, message) }
    static func payloadTooLarge(_ message: String) -> APIError { APIError(.contentTooLarge, .validation, message) }
    static func overloaded(_ message: String) -> APIError { APIError(.tooManyRequests, .overloaded, message) }
    static func unhealthy(_ message: String) -> APIError { APIError(.serviceUnavailable, .unhealthy, message) }
    static func requestTimeout(_ message: String) -> APIError { APIError(.requestTimeout, .requestTimeout, message) }
    static func tooManyConnections(_ message: String) -> APIError {
        APIError(.serviceUnavailable, .overloaded, message)
    }
}

extension JSONEncoder {
    /// Stable key order and unescaped slashes, so responses read the same every time.
    static var api: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
