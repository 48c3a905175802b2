import Foundation
import ParleyClient
import ParleyCore
import Testing

/// `parley_search_index_lag_messages`: the SQLite store indexes messages after their
/// transaction, and `/metrics` tells how many committed messages wait for it.
@Suite struct SearchIndexLagMetricTests {
    @Test func theLagIsExportedAndReturnsToZeroAndASearchRightAfterASendFindsIt() async throws {
        try await TestServer.with(options: .init(userWritesPerSecond: 0)) { server in
            let buyer = try await server.client("buyer1", .buyer)
            let id = try await buyer.createThread().conversation.conversationID
            for index in 0..<40 {
                _ = try await buyer.send(id, .init(content: "Quiero cambiar la talla del pedido \(index)"))
            }
            let anonymous = server.anonymous()
            func lag() async throws -> Double? {
                let text = String(decoding: try await anonymous.raw(.GET, "/metrics").body, as: UTF8.self)
                return text.split(separator: "\n").first { $0.hasPrefix("parley_search_index_lag_messages ") }
                    .flatMap { Double($0.split(separator: " ").last ?? "") }
            }
            // Indexed in the background, without a search asking.
            let settled = try await NotificationTestSupport.eventually(lag, until: { $0 == 0 })
            #expect(settled == 0)

            _ = try await buyer.send(id, .init(content: "¿Hacen envíos a Canarias?"))
            let found = try await buyer.search("canarias").results.map(\.message.content)
            #expect(found == ["¿Hacen envíos a Canarias?"])
            let page = try await buyer.search("tallas").results
            #expect(page.count == 20, "a full page of the 40")
        }
    }
}
