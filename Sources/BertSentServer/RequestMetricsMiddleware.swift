import Hummingbird
import Logging

/// Outermost middleware: times every request, counts it by route and status, and logs it at debug level.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let clock = ContinuousClock()
        let start = clock.now
        let response = try await next(request, context)
        let duration = clock.now - start
        // The matched route, not the path: unknown paths share Hummingbird's "NotFound", so a scanner
        // cannot grow the metric without bound.
        let route = context.endpointPath ?? "NotFound"
        metrics.recordRequest(route: route, status: Int(response.status.code), duration: duration)
        context.logger.debug(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                "duration_ms": "\(duration.seconds * 1000)",
            ])
        return response
    }
}
