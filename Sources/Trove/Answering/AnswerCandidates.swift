import Foundation

/// The spans of the evidence sentences that could be the answer, each verbatim from its sentence.
///
/// A span is a run of whitespace-separated words that are not all filler (function words, generic
/// words, words of the question), as ``ShortAnswer`` defines them, with joiners ("of", "and")
/// allowed inside; a run ends at a comma, semicolon, colon or bracket. Every contiguous part of a
/// run of up to ``maximumWords`` words is a candidate ("Josiah Merrow", "Captain Josiah Merrow"
/// is not one: "captain" is in the question). When the question expects a type of answer
/// (``AnswerType``), only candidates of that type are kept (none may be left).
struct AnswerCandidates {
    struct Candidate {
        /// Which evidence sentence (index into the sentences given) and where in it.
        var sentence: Int
        var range: Range<String.Index>
        var text: String
    }

    static let maximumWords = 5
    static let maximumCount = 32

    let candidates: [Candidate]

    init(sentences: [String], question: String) {
        let questionStems = Set(AnswerText.words(question).map(ShortAnswer.stem))
        let type = AnswerType(question: question)
        var found: [Candidate] = []
        var seen = Set<String>()
        for (s, sentence) in sentences.enumerated() {
            for run in Self.runs(in: sentence, questionStems: questionStems) {
                for length in 1 ... min(Self.maximumWords, run.count) {
                    for start in 0 ... (run.count - length) {
                        let parts = run[start ..< start + length]
                        guard let first = parts.first, let last = parts.last,
                              !ShortAnswer.joinerWords.contains(AnswerText.words(String(sentence[first])).first ?? "-"),
                              !ShortAnswer.joinerWords.contains(AnswerText.words(String(sentence[last])).first ?? "-") else { continue }
                        let text = ShortAnswer.clean(String(sentence[first.lowerBound ..< last.upperBound]))
                        guard !text.isEmpty, Self.bracketsBalance(text), ShortAnswer.isMeaningful(text, question: question),
                              seen.insert(text.lowercased()).inserted,
                              let range = sentence.range(of: text, range: first.lowerBound ..< last.upperBound) else { continue }
                        found.append(Candidate(sentence: s, range: range, text: text))
                    }
                }
            }
        }
        // The name of what a call-like token calls: "random.randint" of "random.randint(a,".
        for (s, sentence) in sentences.enumerated() {
            for name in Self.calledNames(in: sentence) {
                let text = String(sentence[name])
                guard ShortAnswer.isMeaningful(text, question: question), seen.insert(text.lowercased()).inserted else { continue }
                found.append(Candidate(sentence: s, range: name, text: text))
            }
        }
        let typed = found.filter { candidate in
            candidate.text.split(separator: " ").contains { type.admits(String($0)) }
        }
        // A question that asks for a number, a date, a name or a name in code is not answered by
        // a span of another kind ("Which statement…" by "correct"): then there is no short answer.
        candidates = Array((type == .any ? found : typed).prefix(Self.maximumCount))
    }

    /// "f(a" is half of a call: a candidate opens no bracket it does not close, and the reverse.
    static func bracketsBalance(_ text: String) -> Bool {
        var depth = 0
        for c in text {
            if c == "(" || c == "[" || c == "{" { depth += 1 }
            if c == ")" || c == "]" || c == "}" { depth -= 1; if depth < 0 { return false } }
        }
        return depth == 0
    }

    /// Ranges of dotted identifiers directly followed by "(": what a signature or a call names.
    static func calledNames(in sentence: String) -> [Range<String.Index>] {
        var names: [Range<String.Index>] = []
        var index = sentence.startIndex
        while let open = sentence[index...].firstIndex(of: "(") {
            var start = open
            while start > sentence.startIndex {
                let before = sentence[sentence.index(before: start)]
                guard before.isLetter || before.isNumber || before == "_" || before == "." else { break }
                start = sentence.index(before: start)
            }
            while start < open, sentence[start] == "." { start = sentence.index(after: start) }
            if start < open, sentence[start].isLetter || sentence[start] == "_" { names.append(start ..< open) }
            index = sentence.index(after: open)
        }
        return names
    }

    /// The runs of `sentence`: each a list of word ranges.
    static func runs(in sentence: String, questionStems: Set<String>) -> [[Range<String.Index>]] {
        var runs: [[Range<String.Index>]] = []
        var current: [Range<String.Index>] = []
        func close() {
            while let last = current.last, ShortAnswer.joinerWords.contains(AnswerText.words(String(sentence[last])).first ?? "-") {
                current.removeLast()
            }
            if !current.isEmpty { runs.append(current) }
            current = []
        }
        var index = sentence.startIndex
        while index < sentence.endIndex {
            guard !sentence[index].isWhitespace else { index = sentence.index(after: index); continue }
            let start = index
            while index < sentence.endIndex, !sentence[index].isWhitespace { index = sentence.index(after: index) }
            let range = start ..< index
            let token = String(sentence[range])
            let words = AnswerText.words(token)
            let filler = !ShortAnswer.looksLikeCode(token) && !token.contains(where: \.isNumber)
                && words.allSatisfy { ShortAnswer.fillerWords.contains($0) || ShortAnswer.genericWords.contains($0)
                    || questionStems.contains(ShortAnswer.stem($0)) }
            let joiner = words.count == 1 && ShortAnswer.joinerWords.contains(words[0])
            if filler && !(joiner && !current.isEmpty) { close(); continue }
            if token.first == "(" && !ShortAnswer.looksLikeCode(token) { close() }
            current.append(range)
            if let end = token.last, ",;:)".contains(end) { close() }
        }
        close()
        return runs
    }
}
