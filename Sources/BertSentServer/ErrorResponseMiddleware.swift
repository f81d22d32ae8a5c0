import Hummingbird
import Logging

/// Turns every error into TEI's JSON error body, so clients never see an empty or HTML error: unknown
/// paths get 404, known paths with another method 405 with `Allow`, unexpected failures 500.
struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods each route answers.
    let routes: [String: [HTTPRequest.Method]]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound {
            let path = request.uri.path
            guard let methods = routes[path] else {
                return try APIError(.notFound, .notFound, "no route \(path)").response(from: request, context: context)
            }
            var refusal = APIError(
                .methodNotAllowed, .methodNotAllowed,
                "\(path) answers \(methods.map(\.rawValue).joined(separator: ", ")), not \(request.method)")
            refusal.headers[.allow] = methods.map(\.rawValue).joined(separator: ", ")
            return try refusal.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let kind: APIError.Kind = error.status.code >= 500 ? .backend : .validation
            return try APIError(error.status, kind, "\(error.status.reasonPhrase)").response(
                from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(error)"])
            return try APIError(.internalServerError, .backend, "internal error: \(error)").response(
                from: request, context: context)
        }
    }
}
