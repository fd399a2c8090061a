import Synchronization

/// Lets another thread stop a generation between two tokens: the HTTP server sets it when the
/// client that asked has gone away, so no core keeps decoding for nobody.
///
///     let flag = CancellationFlag()
///     var options = GenerationOptions(); options.cancellation = flag
///     // on another thread: flag.cancel()   → generation ends with stop reason "cancelled"
public final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    public init() {}

    /// Asks the generation to stop before its next token.
    public func cancel() { state.store(true, ordering: .relaxed) }

    /// True once ``cancel()`` has been called.
    public var isCancelled: Bool { state.load(ordering: .relaxed) }
}
