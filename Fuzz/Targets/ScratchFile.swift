import Foundation

/// The file a target writes its input to when the code under test reads files (model readers,
/// document loaders): `trove-fuzz-<pid>-<name>` in /dev/shm (memory) or the temporary folder,
/// removed after each run.
enum ScratchFile {
    static let folder = URL(fileURLWithPath: FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory())

    /// Writes `bytes` to a file whose name ends in `name` (the loaders go by its extension),
    /// runs `body` on it, and removes it.
    static func with<T>(_ bytes: Data, as name: String, _ body: (URL) throws -> T) throws -> T {
        let url = folder.appendingPathComponent("trove-fuzz-\(getpid())-\(name)")
        FuzzTarget.require(FileManager.default.createFile(atPath: url.path, contents: bytes), "cannot write the scratch file \(url.path)")
        defer { unlink(url.path) }
        return try body(url)
    }
}
