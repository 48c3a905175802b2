import Foundation
import Testing

/// `parley serve` with a malformed database or Redis URL says what is wrong without
/// printing the password it carries.
@Suite struct ConfigurationSecretsTests {
    @Test(arguments: [
        ["--database", "postgres://parley:s3cretpw@db:notaport/parley"],
        ["--database", "mysql://root:s3cretpw@db/parley"],
        ["--redis", "redis://:s3cretpw@cache:99999"],
        ["--redis", "redis://parley:s3cretpw@cache/notadb"],
    ])
    func aRejectedURLIsQuotedWithoutItsPassword(arguments: [String]) throws {
        let folder = try makeTemporaryFolder("secrets")
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = try ServerProcess(arguments: ["--jwt-secret", TestServer.secret] + arguments, workingDirectory: folder)
        #expect(node.waitForExit(timeout: 30) == 2)
        let log = node.log()
        #expect(log.contains("cannot start"), "\(log)")
        #expect(log.contains("***"), "the URL is quoted, masked: \(log)")
        #expect(!log.contains("s3cretpw"), "\(log)")
    }
}
