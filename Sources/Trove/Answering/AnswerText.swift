import Foundation

/// Words of answers, questions and passages, compared the same way everywhere.
enum AnswerText {
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
