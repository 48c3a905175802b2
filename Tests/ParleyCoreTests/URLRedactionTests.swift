import ParleyCore
import Testing

/// Secrets in URLs never reach a log line or an error message.
@Suite struct URLRedactionTests {
    @Test func thePasswordOfAURLIsHiddenAndTheRestKept() {
        #expect(URLRedaction.redact("postgres://parley:s3cret@db:5432/parley") == "postgres://parley:***@db:5432/parley")
        #expect(URLRedaction.redact("redis://:s3cret@cache:6379") == "redis://:***@cache:6379")
        #expect(URLRedaction.redact("postgres://parley@db/parley") == "postgres://parley@db/parley")
        #expect(URLRedaction.redact("sqlite://./data/parley.sqlite") == "sqlite://./data/parley.sqlite")
    }

    @Test func malformedURLsLeakNoPartOfThePassword() {
        for text in [
            "postgres://parley:s3c/r@et@db:notaport/parley", "postgres://parley:s3c?ret#x@db", "parley:s3cret@db:5432",
            "mysql://root:s3cret@db", "postgres://db/parley?user=parley&password=s3cret&sslmode=require",
        ] {
            let redacted = URLRedaction.redact(text)
            #expect(!redacted.contains("s3c"), "\(redacted)")
        }
    }
}
