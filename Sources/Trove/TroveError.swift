/// An error from the facade: what Trove was doing (the phase) and the underlying error, which
/// names the file and the problem. The CLI prints it after `error: `.
public struct TroveError: Error, CustomStringConvertible {
    /// What Trove was doing, e.g. "loading the encoder".
    public let phase: String
    /// The underlying error (a module's own error type, or a message).
    public let underlying: Error

    public init(_ phase: String, _ underlying: Error) {
        self.phase = phase
        self.underlying = underlying
    }

    /// A facade-level problem with no underlying error.
    public init(_ phase: String, message: String) {
        self.phase = phase
        self.underlying = Message(text: message)
    }

    public var description: String { "\(phase): \(underlying)" }

    struct Message: Error, CustomStringConvertible {
        let text: String
        var description: String { text }
    }
}

/// Runs `body`, wrapping any error in a ``TroveError`` naming `phase` (once: an error that is
/// already a TroveError passes through).
func during<T>(_ phase: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as TroveError {
        throw error
    } catch {
        throw TroveError(phase, error)
    }
}

/// A command that reads an index was pointed at a file that does not exist. Nothing is created:
/// an empty index would answer every search with nothing and every question with "not covered".
public struct IndexNotFound: Error, CustomStringConvertible {
    public let path: String
    public var description: String {
        "there is no index at \(path); create one with `trove ingest FOLDER --index \(path)`"
    }
}
