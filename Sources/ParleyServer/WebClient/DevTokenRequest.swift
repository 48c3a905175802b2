/// `POST /dev/tokens`: which demo user to sign a token for.
struct DevTokenRequest: Decodable {
    var userId: String
}
