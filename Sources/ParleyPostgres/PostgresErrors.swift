import Logging
import ParleyCore
import PostgresNIO

/// The store's errors as the API speaks them.
enum PostgresErrors {
    /// A broken or unreachable database is `unavailable` (503); a missing referenced row
    /// is `notFound`. A `StoredValueError` (damaged data) stays what it is: the server
    /// answers it with a logged 500, as retrying does not help.
    static func map(_ error: any Error, logger: Logger) -> any Error {
        if let error = error as? ParleyError { return error }
        if error is StoredValueError { return error }
        if error is CancellationError { return error }
        if let error = error as? PSQLError, let state = error.serverInfo?[.sqlState] {
            if state == "23503" { return ParleyError.notFound(what: "conversation") }
            if state == "23505" { return ParleyError.conflict(reason: "a concurrent request wrote the same thing; retry") }
            if state.hasPrefix("22") {
                return ParleyError.invalid(field: "request", reason: "holds a value the database cannot store")
            }
            if state == "57014" || state == "55P03" {
                return ParleyError.unavailable(reason: "the database is too busy; retry")
            }
            logger.error("database error", metadata: ["sqlState": "\(state)", "message": "\(error.serverInfo?[.message] ?? "")"])
            return ParleyError.unavailable(reason: "the database refused the operation")
        }
        logger.warning("database unreachable", metadata: ["error": "\(String(reflecting: error))"])
        return ParleyError.unavailable(reason: "the database is not answering")
    }
}
