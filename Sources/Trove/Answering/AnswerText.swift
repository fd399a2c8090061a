import Foundation

/// Small text utilities for answers: sentences, citation markers, content words.
enum AnswerText {
    /// Splits on sentence ends (". ", "! ", "? " and line breaks), keeping a marker that follows
    /// the full stop (`Paris. [2]`) with its sentence.
    static func sentences(_ text: String) -> [String] {
        var sentences: [String] = []
        var current = ""
        let characters = Array(text)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            current.append(c)
            let atEnd = i + 1 == characters.count
            if c == "\n" || ((c == "." || c == "!" || c == "?") && (atEnd || characters[i + 1] == " ")) {
                // Pull following markers like " [2]" into this sentence.
                var j = i + 1
                while j < characters.count {
                    var k = j
                    while k < characters.count, characters[k] == " " { k += 1 }
                    guard k < characters.count, characters[k] == "[", let close = characters[k...].firstIndex(of: "]"),
                          close - k <= 6, characters[(k + 1)..<close].allSatisfy({ $0.isNumber || $0 == "," || $0 == " " })
                    else { break }
                    current += String(characters[j...close])
                    j = close + 1
                }
                i = j
                let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !trimmed.isEmpty { sentences.append(trimmed) }
                current = ""
                continue
            }
            i += 1
        }
        let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { sentences.append(trimmed) }
        return sentences
    }

    /// The sentence without its `[n]` / `[n, m]` markers, and the numbers they name, in order.
    static func splitMarkers(_ sentence: String) -> (plain: String, markers: [Int]) {
        var plain = ""
        var markers: [Int] = []
        var rest = Substring(sentence)
        while let open = rest.firstIndex(of: "[") {
            plain += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "]") else { plain += rest[open...]; rest = ""; break }
            let inside = rest[rest.index(after: open)..<close]
            let numbers = inside.split(whereSeparator: { $0 == "," || $0 == " " }).map { Int($0) }
            if !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) {
                markers += numbers.compactMap { $0 }
            } else {
                plain += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        plain += rest
        let collapsed = plain.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            .replacingOccurrences(of: " .", with: ".").replacingOccurrences(of: " ,", with: ",")
        return (collapsed.trimmingCharacters(in: .whitespacesAndNewlines), markers)
    }

    /// `marker` placed before the sentence's final punctuation: "Paris [1]."
    static func attach(_ marker: String, to sentence: String) -> String {
        guard !marker.isEmpty else { return sentence }
        if let last = sentence.last, ".!?".contains(last) {
            return String(sentence.dropLast()) + " " + marker + String(last)
        }
        return sentence + " " + marker
    }

    /// Lower-cased alphanumeric words.
    static func words(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// Words that carry meaning: not stop words.
    static func contentWords(_ text: String) -> [String] {
        words(text).filter { !stopWords.contains($0) }
    }

    static let stopWords: Set<String> = [
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from",
        "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these",
        "those", "there", "their", "they", "he", "she", "his", "her", "which", "who", "whom", "what",
        "when", "where", "how", "why", "do", "does", "did", "has", "have", "had", "not", "no", "so",
        "than", "then", "also", "into", "about", "after", "before", "over", "under", "i", "we", "you",
        "according", "passage", "passages", "answer",
    ]
}
