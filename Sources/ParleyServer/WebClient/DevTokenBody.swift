import Hummingbird

/// The answer of `POST /dev/tokens`: a token for the demo user, and who that is.
struct DevTokenBody: ResponseEncodable {
    var token: String
    var user: DemoUser
}
