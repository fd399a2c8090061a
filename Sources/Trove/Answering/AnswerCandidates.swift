import Foundation

/// The spans of the evidence sentences that could be the answer, each verbatim from its sentence.
///
/// A span is a run of whitespace-separated words that are not all filler (function words, generic
/// words, words of the question), as ``ShortAnswer`` defines them, with joiners ("of", "and")
/// allowed inside; a run ends at a comma, semicolon, colon or bracket. Every contiguous part of a
/// run of up to ``maximumWords`` words is a candidate ("Josiah Merrow", "Captain Josiah Merrow"
/// is not one: "captain" is in the question). When the question expects a type of answer
/// (``AnswerType``), only candidates of that type are kept (none may be left).
///
/// Each candidate also gets a ``Candidate/context`` score from where it stands, the classic
/// signal of extractive question answering: the answer sits in the sentence that repeats the
/// question's words, and next to them ("Forty-three people drowned" for "How many people
/// drowned…", not the "4" of "4 November" further on). The decoder's likelihood alone does not
/// know this: a 135M model prefers short, frequent spans wherever they are.
struct AnswerCandidates {
    struct Candidate {
        /// Which evidence sentence (index into the sentences given) and where in it.
        var sentence: Int
        var range: Range<String.Index>
        var text: String
        /// ``overlapWeight`` × the share of the question's content words in the candidate's own
        /// sentence, minus ``distanceWeight`` × the words between it and the nearest of them
        /// (at most ``farthest``).
        var context: Float = 0
    }

    static let maximumWords = 5
    /// The weights of ``Candidate/context``, set on the Python documentation set and Corpora/QUESTIONS.md
    /// (short answers holding the gold form: 24 → 34 of 128 and 7 → 11 of 25; held out, PostgreSQL: 1 → 4 of 60).
    static let overlapWeight: Float = 2
    static let distanceWeight: Float = 0.3
    static let farthest = 10
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
                && !(type == .number && Self.partOfDate(candidate.range, in: sentences[candidate.sentence]))
        }
        // A question that asks for a number, a date, a name or a name in code is not answered by
        // a span of another kind ("Which statement…" by "correct"): then there is no short answer.
        var kept = type == .any ? found : typed
        // "How tall…" is answered by a length ("14 metres", not the "58 deg 49.6 min N" beside it):
        // when some number carries a unit of the quantity asked for, only those are kept.
        if type == .number, let units = AnswerType.units(askedIn: question) {
            let measured = kept.filter { AnswerType.carries($0.text, units: units) }
            if !measured.isEmpty { kept = measured }
        }
        let questionWords = Set(AnswerText.contentWords(question).map(ShortAnswer.stem))
        for i in kept.indices {
            kept[i].context = Self.context(of: kept[i].range, in: sentences[kept[i].sentence], questionWords: questionWords)
        }
        candidates = Array(kept.prefix(Self.maximumCount))
    }

    /// ``Candidate/context`` of the span at `range` of `paragraph`.
    static func context(of range: Range<String.Index>, in paragraph: String, questionWords: Set<String>) -> Float {
        guard !questionWords.isEmpty else { return 0 }
        let own = PassageSentences.ranges(in: paragraph).first { $0.contains(range.lowerBound) } ?? paragraph.startIndex ..< paragraph.endIndex
        let ownWords = Set(AnswerText.words(String(paragraph[own])).map(ShortAnswer.stem))
        let overlap = Float(questionWords.filter(ownWords.contains).count) / Float(questionWords.count)
        // In a table the answer is in the row of the question's words ("DEBUG | 10", not the "20"
        // of the row above): a candidate in a table row is measured against its row only.
        let line = paragraph.lineRange(for: range)
        let scope = paragraph[line].contains(" | ") ? line : paragraph.startIndex ..< paragraph.endIndex
        // Words in order, each marked: inside the span, or a question word outside it.
        var inside: [Int] = [], questionAt: [Int] = []
        var n = 0, index = scope.lowerBound
        while index < scope.upperBound {
            guard isWordCharacter(paragraph[index]) else { index = paragraph.index(after: index); continue }
            let start = index
            while index < scope.upperBound, isWordCharacter(paragraph[index]) { index = paragraph.index(after: index) }
            if range.contains(start) { inside.append(n) }
            else if questionWords.contains(ShortAnswer.stem(paragraph[start ..< index].lowercased())) { questionAt.append(n) }
            n += 1
        }
        var distance = farthest
        for q in questionAt { for c in inside { distance = min(distance, abs(q - c)) } }
        // The name an entry defines stands beside every word of its description, however long its signature.
        if overlap > 0, let name = definedName(in: paragraph[own]), range.overlaps(name) { distance = 0 }
        return overlapWeight * overlap - distanceWeight * Float(distance)
    }

    /// The name that a sentence's label line defines, as API references and glossaries write it:
    /// `heapq.nsmallest(n, iterable, key=None)`, `exception KeyError`, `re.IGNORECASE`, `IntFlag`
    /// on its own line above "Return a list with the n smallest elements…". A label line
    /// (``PassageSentences/attachingLabels(_:in:)``) of one name, after lower-case words such as
    /// "class", with at most a bracketed signature after it; nil for any other sentence (a heading
    /// "Logging Levels" names no one thing).
    static func definedName(in sentence: Substring) -> Range<String.Index>? {
        guard let lineEnd = sentence.firstIndex(of: "\n") else { return nil }
        var tokens = sentence[..<lineEnd].split(separator: " ")[...]
        while tokens.count > 1, let first = tokens.first, first.allSatisfy({ $0.isLowercase && $0.isLetter }) {
            tokens = tokens.dropFirst()
        }
        guard let first = tokens.first else { return nil }
        // An option's tag defines its first spelling: "-s" of "-s, --summarize".
        if PassageSentences.isOptionTag(sentence[first.startIndex ..< lineEnd]) {
            let end = first.firstIndex { ",=[ ".contains($0) } ?? first.endIndex
            return first.startIndex ..< end
        }
        let end = first.firstIndex { "([".contains($0) } ?? first.endIndex
        let rest = sentence[end ..< lineEnd]
        guard end > first.startIndex, rest.isEmpty || "([".contains(rest.first!) else { return nil }
        return first.startIndex ..< end
    }

    /// An option's entry, as man pages and `--help` print them: its tag on a line of its own
    /// above its description ("-t\nsort by time, newest first"), a paragraph of its own.
    struct OptionEntry {
        /// Which of the sentences given is in it.
        var sentence: Int
        /// The option it defines (its tag's first spelling, ``definedName(in:)``) and the entry
        /// from its tag to the end of that sentence, in the sentence's text.
        var name: Range<String.Index>
        var entry: Range<String.Index>
    }

    /// The entry holding the first of `sentences` (each a range of its passage's text; nil for one
    /// not to consider) that is in an option's entry, when the entry's tag is at most
    /// ``entryReach`` characters before the sentence's end; nil when none is.
    static func firstOptionEntry(_ sentences: [(text: String, range: Range<String.Index>)?]) -> OptionEntry? {
        for (s, sentence) in sentences.enumerated() {
            guard let (text, range) = sentence else { continue }
            let start = text[..<range.lowerBound].range(of: "\n\n", options: .backwards)?.upperBound ?? text.startIndex
            let label = text[start...].prefix { $0 != "\n" }
            guard label.endIndex < range.upperBound, text.distance(from: start, to: range.upperBound) <= entryReach,
                  PassageSentences.isOptionTag(label), let name = definedName(in: text[start ..< range.upperBound]) else { continue }
            return OptionEntry(sentence: s, name: name, entry: start ..< range.upperBound)
        }
        return nil
    }

    /// How far before the end of a sentence its option's tag may be (an entry of a few sentences).
    static let entryReach = 600

    private static func isWordCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

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

    /// Whether the span at `range` is or touches a date ("2 November 1789", the "2" of it, "November 4"):
    /// a day of the month does not count anything, so it does not answer "how many".
    static func partOfDate(_ range: Range<String.Index>, in sentence: String) -> Bool {
        let before = sentence[..<range.lowerBound].split(separator: " ").last.map(String.init) ?? ""
        let after = sentence[range.upperBound...].split(separator: " ").first.map(String.init) ?? ""
        return [before, String(sentence[range]), after].contains { text in
            AnswerText.words(text).contains(where: AnswerType.months.contains)
        }
    }

    /// "4.", "12)", "b.": the label of an item at the start of a line.
    static func isItemNumber(_ token: String) -> Bool {
        guard let last = token.last, last == "." || last == ")" else { return false }
        let label = token.dropLast()
        return !label.isEmpty && (label.allSatisfy(\.isNumber) || (label.count == 1 && label.allSatisfy(\.isLetter)))
    }

    /// A token whose full stop does not end a sentence: "e.g.", "i.e.", "etc.", "vs.".
    static func abbreviation(_ token: String) -> Bool {
        PassageSentences.endsAbbreviation(Substring(token.dropLast()), lineStart: "")
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
        var startsLine = true
        while index < sentence.endIndex {
            guard !sentence[index].isWhitespace else {
                // An answer does not run across a line: "£9.50" ends its table row, a signature its line.
                if sentence[index].isNewline { close(); startsLine = true }
                index = sentence.index(after: index)
                continue
            }
            let start = index
            while index < sentence.endIndex, !sentence[index].isWhitespace { index = sentence.index(after: index) }
            let range = start ..< index
            let token = String(sentence[range])
            let words = AnswerText.words(token)
            defer { startsLine = false }
            // The number of a list item or a section ("4. Staff", "2) Colza") numbers, it does not count.
            if startsLine, Self.isItemNumber(token) { close(); continue }
            let filler = !ShortAnswer.looksLikeCode(token) && !token.contains(where: \.isNumber)
                && words.allSatisfy { ShortAnswer.fillerWords.contains($0) || ShortAnswer.genericWords.contains($0)
                    || questionStems.contains(ShortAnswer.stem($0)) }
            let joiner = words.count == 1 && ShortAnswer.joinerWords.contains(words[0])
            if filler && !(joiner && !current.isEmpty) { close(); continue }
            if token.first == "(" && !ShortAnswer.looksLikeCode(token) { close() }
            current.append(range)
            // A run ends at a comma, a colon, a bracket, and at the end of a sentence ("Port Ellery.
            // Forty-three people…" holds two answers, not one), though not at "e.g." inside one.
            if let end = token.last, ",;:)".contains(end) || (".!?".contains(end) && !Self.abbreviation(token)) { close() }
        }
        close()
        return runs
    }
}
