import Foundation

/// The short answer inside an answer sentence: the words that answer, without the words that
/// restate the question.
///
/// A small model answers "Who was the captain of the Halcyon?" with "The captain of the Halcyon
/// was Captain Josiah Merrow [1]." — right, but most of it is the question. The short answer is
/// the first run of words, up to a comma, that are neither question words nor function words:
/// "Josiah Merrow". For questions that ask for a number or a date, the first run holding a digit
/// or a number word is preferred. The run must occur verbatim in one of the passages (so it is
/// taken from them); otherwise the whole sentence is the answer.
enum ShortAnswer {
    static func extract(from sentence: String, question: String, passages: [Passage]) -> String? {
        let questionStems = Set(AnswerText.words(question).map(stem))
        let tokens = sentence.split(separator: " ").map(String.init)
        var runs: [[String]] = []
        var current: [String] = []
        func close() { if !current.isEmpty { runs.append(current); current = [] } }
        for token in tokens {
            let word = AnswerText.words(token).first ?? ""
            let isFiller = word.isEmpty || questionStems.contains(stem(word)) || fillerWords.contains(word)
            if isFiller && !(current.count > 0 && joinerWords.contains(word)) {
                close()
                continue
            }
            current.append(token)
            if token.hasSuffix(",") || token.hasSuffix(";") || token.hasSuffix(":") { close() }
        }
        close()
        // Drop joiner words left at the end of a run ("forty minutes and").
        runs = runs.map { run in
            var run = run
            while let last = run.last, joinerWords.contains(AnswerText.words(last).first ?? "") { run.removeLast() }
            return run
        }.filter { !$0.isEmpty }
        let wantsNumber = numericQuestion(question)
        let ordered = wantsNumber ? runs.filter(holdsNumber) + runs.filter { !holdsNumber($0) } : runs
        for run in ordered {
            let text = run.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ",;:.!?*_\"'()[] "))
            guard !text.isEmpty else { continue }
            let plain = text.replacingOccurrences(of: "*", with: "")
            if passages.contains(where: { $0.text.range(of: plain, options: [.caseInsensitive, .diacriticInsensitive]) != nil }) {
                return plain
            }
        }
        return nil
    }

    /// A crude stem, so that "changed" matches "change" and "lights" matches "light".
    static func stem(_ word: String) -> String {
        var stem = word
        for suffix in ["ing", "ed", "es", "s"] where stem.count > suffix.count + 3 && stem.hasSuffix(suffix) {
            stem.removeLast(suffix.count)
            break
        }
        if stem.count > 4, stem.hasSuffix("e") { stem.removeLast() }    // "change" and "changed" meet at "chang"
        return stem
    }

    static func numericQuestion(_ question: String) -> Bool {
        let lower = question.lowercased()
        return ["how many", "how much", "how long", "how often", "how tall", "how high", "how far", "how old",
                "what year", "which year", "when", "what date", "which date", "how deep", "what age"].contains { lower.contains($0) }
    }

    static func holdsNumber(_ run: [String]) -> Bool {
        run.contains { token in
            token.contains(where: \.isNumber) || numberWords.contains(AnswerText.words(token).first ?? "")
        }
    }

    static let numberWords: Set<String> = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "hundred", "thousand", "million",
    ]

    /// Words that never answer on their own.
    static let fillerWords: Set<String> = AnswerText.stopWords.union([
        "shall", "will", "would", "could", "can", "may", "must", "should", "is", "are", "was", "were",
        "be", "been", "it", "its", "called", "named", "known", "used", "about", "approximately", "around",
    ])

    /// Function words kept inside a run ("Bishop of Sodor", "forty minutes and a half").
    static let joinerWords: Set<String> = ["of", "and", "the", "de", "von", "van", "per", "a"]
}
