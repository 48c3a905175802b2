import ParleyPostgres
import Testing

@Suite struct PostgresLocationTests {
    @Test func theURLGivesHostDatabaseTLSAndTimeout() throws {
        let plain = try #require(PostgresLocation("postgres://parley:pw@db:6543/shop"))
        #expect(plain.host == "db")
        #expect(plain.port == 6543)
        #expect(plain.username == "parley")
        #expect(plain.password == "pw")
        #expect(plain.database == "shop")
        #expect(!plain.requiresTLS)
        #expect(plain.connectTimeout == .seconds(3), "a read waits 3 s by default before its 503")
        #expect(plain.description == "postgres://parley@db:6543/shop")

        let tuned = try #require(PostgresLocation("postgresql://db/shop?sslmode=require&connect_timeout=20"))
        #expect(tuned.requiresTLS)
        #expect(tuned.connectTimeout == .seconds(20))
        #expect(tuned.description == "postgres://postgres@db:5432/shop?sslmode=require&connect_timeout=20")
    }

    @Test(arguments: ["0", "601", "-1", "2.5", "soon", ""])
    func aTimeoutOutsideOneToSixHundredSecondsIsRefused(value: String) {
        #expect(PostgresLocation("postgres://db/shop?connect_timeout=\(value)") == nil)
    }

    @Test func otherSchemesAndUnknownTLSModesAreRefused() {
        #expect(PostgresLocation("mysql://db/shop") == nil)
        #expect(PostgresLocation("postgres://db/shop?sslmode=maybe") == nil)
    }
}
