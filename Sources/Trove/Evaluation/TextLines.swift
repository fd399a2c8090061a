import Foundation

extension String {
    /// The lines of a text file split at `\n` bytes, with one trailing `\r` removed from each.
    ///
    /// Not `split(separator: "\n")`: Swift treats `"\r\n"` as ONE Character, so a CRLF file (BEIR's
    /// qrels) would come back as a single line; and not `isNewline`, which also splits at U+2028,
    /// a character JSON strings may hold raw. Line i of the result is line i + 1 of the file.
    var fileLines: [Substring] {
        utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { bytes in
            let line = Substring(bytes)
            return line.utf8.last == 0x0D ? Substring(line.utf8.dropLast()) : line
        }
    }
}
