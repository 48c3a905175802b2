import Hummingbird

/// `GET /dev/users`: the demo users anyone may sign in as on a `--dev` node.
struct DevUsersBody: ResponseEncodable {
    var users: [DemoUser]
}
