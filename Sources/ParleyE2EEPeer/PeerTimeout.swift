/// The peer waited its whole `--timeout` for something to read.
struct PeerTimeout: Error, CustomStringConvertible {
    let description: String
}
