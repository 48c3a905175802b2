import ArgumentParser
import Foundation
import ParleyCore
import ParleyServer

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a token signed with the configured secret, for trying the API by hand.")

    @Option(help: "User id (the `sub` claim).")
    var sub: String

    @Option(help: "buyer, seller, support or service.")
    var role: String

    @Option(help: "Display name.")
    var name: String?

    @Option(help: "Seconds until the token expires.")
    var ttl: Int = 3600

    @Option(name: .customLong("jwt-secret"), help: "HS256 secret (PARLEY_JWT_SECRET; default: the --dev secret in ./parley-data).")
    var jwtSecret: String?

    @Option(name: .customLong("jwt-issuer"), help: "`iss` claim to include (PARLEY_JWT_ISSUER).")
    var jwtIssuer: String?

    @Option(name: .customLong("jwt-audience"), help: "`aud` claim to include (PARLEY_JWT_AUDIENCE).")
    var jwtAudience: String?

    func run() async throws {
        guard let role = Role(rawValue: role) else {
            throw ValidationError("--role must be buyer, seller, support or service")
        }
        guard ttl > 0 else { throw ValidationError("--ttl must be positive") }
        guard
            let secret = jwtSecret ?? EnvironmentVariables.value("PARLEY_JWT_SECRET")
                ?? DevSecret.load(in: URL(fileURLWithPath: "./parley-data"))
        else {
            throw ValidationError("no secret: pass --jwt-secret or set PARLEY_JWT_SECRET (or run `parley serve --dev` first)")
        }
        let signer = try await TokenSigner(secret: secret)
        let token = try await signer.sign(
            userID: sub, role: role, name: name, timeToLive: TimeInterval(ttl),
            issuer: jwtIssuer ?? EnvironmentVariables.value("PARLEY_JWT_ISSUER"),
            audience: jwtAudience ?? EnvironmentVariables.value("PARLEY_JWT_AUDIENCE"))
        print(token)
    }
}
