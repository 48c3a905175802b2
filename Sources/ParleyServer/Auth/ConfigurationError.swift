import Foundation
import JWTKit
import ParleyCore
import Synchronization

/// A configuration mistake, reported to the operator at start.
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
