import Foundation
import TroveTestSupport

/// Runs the real `trove` binary (built by `swift build -c release --product trove`, which the
/// test command does first) and captures what it prints.
struct TroveBinary {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `.build/release/trove`, or `TROVE_BINARY`.
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["TROVE_BINARY"] { return URL(fileURLWithPath: path) }
        return Fixtures.repositoryRoot.appendingPathComponent(".build/release/trove")
    }

    /// Runs `trove arguments…` to completion, feeding `stdin` if given.
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> Run {
        try Fixtures.required(url)
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a large output cannot fill a pipe and block the child.
        let stderrData = ReadData(), group = DispatchGroup()
        DispatchQueue.global().async(group: group) { stderrData.bytes = err.fileHandleForReading.readDataToEndOfFile() }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                   stderr: String(decoding: stderrData.bytes, as: UTF8.self))
    }

    /// What the reading thread hands back: written once by it, read after `group.wait()`.
    private final class ReadData: @unchecked Sendable { var bytes = Data() }

    /// Parses one JSON object.
    static func object(_ text: String) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw NotAnObject(text: String(text.prefix(200)))
        }
        return object
    }
}

/// The binary printed something that is not one JSON object.
struct NotAnObject: Error, CustomStringConvertible {
    let text: String
    var description: String { "expected one JSON object, got: \(text)" }
}
