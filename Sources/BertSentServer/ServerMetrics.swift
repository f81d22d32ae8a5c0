import Foundation
import Prometheus

/// The service's Prometheus metrics, served as text by `GET /metrics`.
///
/// The registry is the server's own (not swift-metrics' global bootstrap), so several servers in one
/// process — as in the tests — keep separate counts.
public final class ServerMetrics: Sendable {
    /// Holds every metric; `exposition()` renders them.
    public let registry = PrometheusCollectorRegistry()

    let batchSize: ValueHistogram
    let batchTokens: ValueHistogram
    let queueDuration: DurationHistogram
    let tokenizationDuration: DurationHistogram
    let inferenceDuration: DurationHistogram
    let tokens: Counter
    let inputs: Counter
    let queueSize: Gauge
    let openConnections: Gauge
    let refusedConnections: Counter
    let requestReadTimeouts: Counter

    private static let latencyBuckets: [Duration] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000]
        .map { .milliseconds($0) }

    /// Registers the service's metrics, all at zero.
    public init() {
        func name(_ metric: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "bertsent", metricName: metric, unitName: unit, helpText: help)
        }
        batchSize = registry.makeValueHistogram(
            descriptor: name("batch_size", "Inputs per model batch."), buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        batchTokens = registry.makeValueHistogram(
            descriptor: name("batch_tokens", "Tokens per model batch, before padding."),
            buckets: [64, 256, 1_024, 4_096, 16_384, 65_536])
        queueDuration = registry.makeDurationHistogram(
            descriptor: name("queue_duration", unit: "seconds", "Time a request waited for the model."),
            buckets: Self.latencyBuckets)
        tokenizationDuration = registry.makeDurationHistogram(
            descriptor: name("tokenization_duration", unit: "seconds", "Time spent tokenising a request."),
            buckets: Self.latencyBuckets)
        inferenceDuration = registry.makeDurationHistogram(
            descriptor: name("inference_duration", unit: "seconds", "Time of one model batch."),
            buckets: Self.latencyBuckets)
        tokens = registry.makeCounter(descriptor: name("tokens", unit: "total", "Tokens run through the model."))
        inputs = registry.makeCounter(descriptor: name("inputs", unit: "total", "Inputs run through the model."))
        queueSize = registry.makeGauge(descriptor: name("queue_size", "Inputs waiting for the model."))
        openConnections = registry.makeGauge(descriptor: name("open_connections", "Client connections open."))
        refusedConnections = registry.makeCounter(
            descriptor: name("refused_connections", unit: "total", "Connections refused beyond max_connections."))
        requestReadTimeouts = registry.makeCounter(
            descriptor: name(
                "request_read_timeouts", unit: "total", "Connections cut off for sending a request too slowly."))
    }

    /// Counts one answered request and its latency, by route and status code.
    func recordRequest(route: String, status: Int, duration: Duration) {
        let route = ("route", route)
        registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "bertsent", metricName: "requests", unitName: "total",
                helpText: "HTTP requests answered, by route and status."),
            labels: [route, ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: MetricNameDescriptor(
                namespace: "bertsent", metricName: "request_duration", unitName: "seconds",
                helpText: "Time from request to response, by route."),
            labels: [route], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String { registry.emitToString() }
}
