import Hummingbird

/// Counts and times every request by its route pattern (never the raw path, whose ids
/// would make the label set grow without bound).
///
/// Not Hummingbird's `MetricsMiddleware`: that one records into the process-wide
/// `MetricsSystem`, while each node keeps its own registry (`ServerMetrics`) so that
/// several nodes can run in one process (the tests do) and `/metrics` shows one node.
/// Like Hummingbird's, it counts an error that escapes as its `HTTPResponseError` status.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = ParleyRequestContext
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let start = ContinuousClock.now
        func record(_ status: HTTPResponse.Status) {
            metrics.recordRequest(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status.code,
                duration: ContinuousClock.now - start)
        }
        do {
            let response = try await next(request, context)
            record(response.status)
            return response
        } catch {
            record((error as? any HTTPResponseError)?.status ?? .internalServerError)
            throw error
        }
    }
}
