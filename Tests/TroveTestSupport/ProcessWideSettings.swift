import Foundation

/// Tests that change process-wide numeric settings (the thread count, the quantized kernels'
/// instruction-set level) or that compare results across them take this lock, so that suites
/// running in parallel cannot change a setting in the middle of another's comparison.
public enum ProcessWideSettings {
    private static let lock = NSLock()

    /// Takes the lock for the rest of a test: pair with `defer { ProcessWideSettings.release() }`.
    public static func acquire() { lock.lock() }

    /// Gives the lock back.
    public static func release() { lock.unlock() }

    /// Runs `body` while no other test changes or compares process-wide settings.
    public static func exclusive<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
