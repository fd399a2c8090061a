import Foundation

/// Turns what the small model wrote into a short answer: its first paragraph, at most two
/// sentences, without a repeated sentence or a leading "Answer:".
///
/// A 135M model restates the question and loops until the token limit when left alone; the stop
/// strings end it at a blank line, and this keeps only the part that answers.
enum AnswerShaping {
    static let maximumSentences = 2

    static let leadIns = ["The answer is:", "The answer is", "The passage is:", "Answer:", "A:", "Response:"]

    static func shape(_ raw: String) -> String {
        // The first paragraph that says something once a lead-in ("The answer is:") is removed.
        var text = ""
        for paragraph in raw.components(separatedBy: "\n\n") {
            text = paragraph.trimmingCharacters(in: .whitespacesAndNewlines)
            for prefix in leadIns where text.hasPrefix(prefix) {
                text = String(text.dropFirst(prefix.count)).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if !AnswerText.contentWords(text).isEmpty { break }
        }
        var kept: [String] = []
        for sentence in AnswerText.sentences(text) where !kept.contains(sentence) {
            kept.append(sentence)
            if kept.count == maximumSentences { break }
        }
        return kept.joined(separator: " ")
    }

    /// Whether the answer says the passages do not hold the answer.
    static func saysNotCovered(_ answer: String) -> Bool {
        let lower = answer.lowercased()
        return ["do not cover", "does not cover", "don't cover", "not covered", "no information",
                "do not contain", "does not contain", "not mentioned", "not provided"].contains { lower.contains($0) }
    }
}
