import DequeModule
import NIOCore
import NIOPosix
import NIOSSL
import ParleyCore
import Synchronization

/// A command on its way to the wire: its bytes and the promise for its reply.
struct RedisCommand: Sendable {
    var bytes: ByteBuffer
    var reply: Promise<RESPValue>
}
