import Foundation
import ParleyAudit
import ParleyClient
import ParleyCore
import ParleyServer
import ParleyTestSupport
import Testing

extension RedisClusterTests.ClusterProcessTests {
    /// The object store of `PARLEY_TEST_S3_URL` (a SeaweedFS that scripts/test.sh starts,
    /// checking signatures) with a bucket of the test's own, and its credentials.
    static func objectStore() throws -> (url: String, environment: [String: String]) {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["PARLEY_TEST_S3_URL"], var components = URLComponents(string: url),
            let access = environment["PARLEY_TEST_S3_ACCESS_KEY"], let secret = environment["PARLEY_TEST_S3_SECRET_KEY"]
        else { throw ServerProcessError.didNotStart("PARLEY_TEST_S3_URL and its keys are not set (scripts/test.sh starts a SeaweedFS)") }
        components.host = "parley-cluster-\(UUID().uuidString.prefix(8).lowercased())"
        return (components.string!, ["PARLEY_S3_ACCESS_KEY": access, "PARLEY_S3_SECRET_KEY": secret])
    }

    /// The end: two nodes behind nginx serve the same attachments from the object
    /// store, whichever node took the upload; a link made on one node opens on the other.
    @Test func twoNodesBehindNginxServeTheSameAttachmentsFromTheObjectStore() async throws {
        let folder = try makeTemporaryFolder("attachments-cluster")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (bucketURL, environment) = try Self.objectStore()
        try await ThrowawayPostgres.withDatabase { database in
            // One audit key for both nodes, as for any nodes on one database: a node refuses a
            // log whose stored checkpoint another key signed.
            _ = try AuditSigningKey.loadOrCreate(in: folder)
            let arguments = [
                "--jwt-secret", TestServer.secret, "--database", database, "--redis", Self.redisURL, "--attachments", bucketURL,
                "--audit-key", folder.appendingPathComponent(AuditSigningKey.fileName).path,
            ]
            // Each node in a folder of its own: nothing on one node's disk is there for the other.
            let nodes = try (0..<2).map { index in
                let home = folder.appendingPathComponent("node\(index)")
                try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
                return try ServerProcess(arguments: arguments, workingDirectory: home, environment: environment)
            }
            for node in nodes { _ = try node.waitUntilListening() }
            try await Self.waitUntilReady(nodes.map(Self.base))
            let nginx = try ThrowawayNginx(upstreamPorts: nodes.map(\.port))
            try await Self.waitUntilReady([nginx.baseURL])

            let buyer = try await Self.client(nginx.baseURL, "buyer1", .buyer)
            let id = try await buyer.createThread(orderID: "PED-7").conversation.conversationID
            // A photo and a 3 MiB file through nginx (past its 1 MiB default for bodies).
            let photo = try await buyer.uploadForm(
                id, bytes: AttachmentAPITests.phonePhoto, contentType: "image/jpeg", filename: "roto.jpg")
            var big = Data(count: 3 * 1024 * 1024)
            for index in stride(from: 0, to: big.count, by: 4096) { big[index] = UInt8(truncatingIfNeeded: index / 4096) }
            let file = try await buyer.upload(id, bytes: big, name: "fotos.zip")
            _ = try await buyer.send(id, .init(content: "llegó así", type: .image, attachmentId: photo.attachmentId))
            _ = try await buyer.send(id, .init(content: "", type: .file, attachmentId: file.attachmentId))

            for node in nodes {
                let seller = try await Self.client(Self.base(node), "seller1", .seller)
                let served = try await seller.download(photo.attachmentId)
                #expect(served.status == 200 && served.body.count == Int(photo.size), "node \(node.port)")
                #expect(served.body.range(of: Data("Exif".utf8)) == nil)
                #expect(try await seller.download(photo.attachmentId, thumbnail: true).status == 200)
                let whole = try await seller.download(file.attachmentId)
                #expect(whole.status == 200 && whole.body == big, "node \(node.port)")
                let part = try await seller.download(file.attachmentId, headers: [("Range", "bytes=4096-4096")])
                #expect(part.status == 206 && part.body == Data([1]))
                let outsider = try await Self.client(Self.base(node), "buyer9", .buyer)
                #expect(try await outsider.download(photo.attachmentId).status == 404)
            }
            // A link made on one node opens on the other: they share the JWT secret.
            let onFirst = try await Self.client(Self.base(nodes[0]), "seller1", .seller)
            let link = try await onFirst.attachmentLink(file.attachmentId)
            let onSecond = try await ParleyRESTClient(baseURL: Self.base(nodes[1]), token: nil).raw(
                .GET, link.url, maxResponseBytes: 8 * 1024 * 1024)
            #expect(onSecond.status == 200 && onSecond.body == big)
            // Nothing was kept on the nodes' own disks.
            let stored = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String }.filter {
                $0.contains("attachments/")
            } ?? []
            #expect(stored.isEmpty, "\(stored)")
        }
    }
}
