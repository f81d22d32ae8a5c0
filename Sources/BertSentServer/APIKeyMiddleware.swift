import Hummingbird

/// Requires `Authorization: Bearer <key>` on every route but `/health` (load balancers probe it) and the
/// page at `GET /` (a browser cannot send the header when it opens a URL; the page asks for the key and
/// sends it with its own requests).
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let key: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard Self.isOpen(request) || Self.authorizes(request.headers[.authorization], key: key) else {
            var refusal = APIError(
                .unauthorized, .unauthorized, "missing or wrong API key: send Authorization: Bearer <key>")
            refusal.headers[.wwwAuthenticate] = "Bearer"
            throw refusal
        }
        return try await next(request, context)
    }

    /// The requests answered without a key.
    private static func isOpen(_ request: Request) -> Bool {
        request.uri.path == "/health" || (request.uri.path == "/" && request.method == .get)
    }

    /// Compares the presented key with the expected one in time that depends only on the expected key's
    /// length, so response times do not reveal how many leading characters were right.
    static func authorizes(_ header: String?, key: String) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let presented = Array(header.dropFirst("Bearer ".count).utf8)
        let expected = Array(key.utf8)
        var difference = presented.count ^ expected.count
        for index in expected.indices {
            difference |= Int(expected[index] ^ (index < presented.count ? presented[index] : 0))
        }
        return difference == 0
    }
}
