import Foundation

/// Writing to stdout and stderr, and JSON for scripts.
enum Output {
    /// Prints a line to standard error.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes text to standard output without a newline and flushes, for streamed tokens.
    static func stream(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// True when standard error is a terminal (progress bars only then).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Encodes a value as JSON: keys sorted so the output is stable; one line unless `pretty`.
    static func json<T: Encodable>(_ value: T, pretty: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// "1 chunk", "2 chunks": a count with its noun, plural unless it is one.
    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    /// Prints a value as one line of JSON on standard output.
    static func printJSON<T: Encodable>(_ value: T) throws {
        print(try json(value))
    }
}
