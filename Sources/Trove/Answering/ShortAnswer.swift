import Foundation

/// The short answer: a span that actually answers, or nothing.
///
/// A candidate span (``AnswerCandidates``) is verbatim from a passage but may be too much
/// ("You can use the randint function") or too little ("use"). A span is kept as the short answer
/// when it is short and carries meaning of its own: a number, something that reads as code
/// (`os.path.exists()`, `--verbose`, `list(set(x))`), or a word that is neither a function word,
/// a generic word ("use", "function", "following") nor a word of the question. Otherwise its
/// first run of such words is tried (restating the question is not answering it); failing that,
/// there is no short answer, and the quoted sentence stands alone.
enum ShortAnswer {
    /// Longer spans are sentences, not short answers.
    static let maximumWords = 12

    /// The short answer in `span`, or nil when it holds none.
    static func choose(span: String, question: String) -> String? {
        let questionStems = Set(AnswerText.words(question).map(stem))
        func restates(_ token: Substring) -> Bool {
            !looksLikeCode(String(token)) && !token.contains(where: \.isNumber) && AnswerText.words(String(token)).allSatisfy {
                fillerWords.contains($0) || genericWords.contains($0) || questionStems.contains(stem($0))
            }
        }
        // Words that restate the question or say nothing, at either end, are not the answer:
        // "Captain Josiah Merrow" answers "Who was the captain?" with "Josiah Merrow".
        var tokens = clean(span).split(separator: " ")[...]
        while let first = tokens.first, restates(first) { tokens = tokens.dropFirst() }
        while let last = tokens.last, restates(last) { tokens = tokens.dropLast() }
        let cleaned = clean(tokens.joined(separator: " "))
        if isMeaningful(cleaned, question: question) { return cleaned }
        var runs: [[Substring]] = [], current: [Substring] = []
        for token in cleaned.split(separator: " ") {
            let words = AnswerText.words(String(token))
            let filler = words.allSatisfy { fillerWords.contains($0) || genericWords.contains($0) || questionStems.contains(stem($0)) }
            if filler && !(current.count > 0 && joinerWords.contains(words.first ?? "")) {
                if !current.isEmpty { runs.append(current); current = [] }
                continue
            }
            current.append(token)
            if token.hasSuffix(",") || token.hasSuffix(";") || token.hasSuffix(":") { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        let wantsNumber = numericQuestion(question)
        let ordered = wantsNumber ? runs.filter(holdsNumber) + runs.filter { !holdsNumber($0) } : runs
        for run in ordered {
            var run = run
            while let last = run.last, joinerWords.contains(AnswerText.words(String(last)).first ?? "") { run.removeLast() }
            let text = clean(run.joined(separator: " "))
            if isMeaningful(text, question: question) { return text }
        }
        return nil
    }

    /// Whether `text` can stand as an answer to `question` (see the type's comment).
    static func isMeaningful(_ text: String, question: String) -> Bool {
        let words = AnswerText.words(text)
        guard !words.isEmpty, words.count <= maximumWords, !text.hasSuffix(":") else { return false }
        // What the question names is not its answer: "-v" for "What does the -v option of grep do?",
        // "31" for "…in the year ended 31 March 1998?".
        let named = Set(question.lowercased().split(whereSeparator: \.isWhitespace).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "?!.,;:'\"“”‘’`")) })
        if named.contains(text.lowercased()) { return false }
        if text.contains(where: \.isNumber) { return true }
        // "E.g", "i.e.", "etc.": an abbreviation that leads into an example is no answer, though
        // its dot looks like code.
        if latinAbbreviations.contains(text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ".,"))) { return false }
        // Code made only of words that say nothing is no answer either: `set()`, `get()`, `None`.
        if words.allSatisfy({ fillerWords.contains($0) || genericWords.contains($0) || literalWords.contains($0) }) { return false }
        if looksLikeCode(text) { return true }
        // One plain lower-case word that is a verb's participle or a word that only qualifies
        // ("given", "provided", "possible", "multiple") is a fragment of the sentence, not its answer.
        if words.count == 1, text.allSatisfy(\.isLowercase), isQualifier(words[0]) { return false }
        // Nor is an adverb alone ("simply", "Recursively" at the start of its sentence): it says how, not what.
        if words.count == 1, isAdverb(words[0]) { return false }
        let questionStems = Set(AnswerText.words(question).map(stem))
        return words.contains { word in
            !fillerWords.contains(word) && !genericWords.contains(word) && !questionStems.contains(stem(word)) && word.count > 1
        }
    }

    static let latinAbbreviations: Set<String> = ["e.g", "i.e", "etc", "cf", "vs", "viz", "et al", "n.b"]

    /// `name(…)`, `a.b`, `snake_case`, `--option`, `-a`, `x = y`: text a person would type.
    static func looksLikeCode(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            let before = i > 0 ? scalars[i - 1] : " ", after = i + 1 < scalars.count ? scalars[i + 1] : " "
            let letterBefore = CharacterSet.alphanumerics.contains(before)
            let letterAfter = CharacterSet.alphanumerics.contains(after)
            switch c {
            case "(": if letterBefore { return true }
            case ".", "_": if letterBefore && letterAfter { return true }
            // `--all`, and `-a` or `-name` at the start: a command-line option.
            case "-": if (before == "-" || i == 0) && CharacterSet.letters.contains(after) { return true }
            case "=": return true
            default: continue
            }
        }
        return false
    }

    /// The span without surrounding whitespace, quotes, Markdown emphasis and end punctuation
    /// (a closing bracket is kept when the span opens it).
    static func clean(_ span: String) -> String {
        var text = span.trimmingCharacters(in: .whitespacesAndNewlines)
        let strip = CharacterSet(charactersIn: ",;.!?*\"'`“”‘’ ")
        while let first = text.unicodeScalars.first, strip.contains(first) || (first == "(" && !text.contains(")")) {
            text.removeFirst()
        }
        while let last = text.unicodeScalars.last,
              strip.contains(last) || ((last == ")" || last == "]") && text.filter({ $0 == "(" || $0 == "[" }).count < text.filter({ $0 == ")" || $0 == "]" }).count) {
            text.removeLast()
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
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

    static func holdsNumber(_ run: [Substring]) -> Bool {
        run.contains { token in
            token.contains(where: \.isNumber) || numberWords.contains(AnswerText.words(String(token)).first ?? "")
        }
    }

    static let numberWords: Set<String> = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "fifteen", "twenty", "thirty", "forty", "fifty", "sixty", "hundred", "thousand", "million",
    ]

    /// Words that never answer on their own: function words and modal verbs.
    static let fillerWords: Set<String> = AnswerText.stopWords.union([
        "shall", "will", "would", "could", "can", "may", "must", "should", "called", "named", "known",
        "approximately", "around", "if", "each", "every", "all", "any", "some", "such", "other", "only",
        "just", "very", "more", "most", "same", "own", "here", "now", "yes", "both", "either", "neither",
        "while", "because", "since", "until", "unless", "whether", "my", "your", "our", "me", "us", "them",
        // The rest of the common English stop-word list (NLTK's): a short answer is never one of them.
        "above", "again", "against", "am", "below", "between", "down", "during", "few", "further", "having",
        "doing", "hers", "herself", "him", "himself", "itself", "myself", "nor", "off", "once", "ours",
        "ourselves", "out", "theirs", "themselves", "through", "too", "up", "yours", "yourself", "yourselves",
        // and its pieces of contractions ("isn’t" is "isn" and "t").
        "ain", "aren", "couldn", "didn", "doesn", "don", "hadn", "hasn", "haven", "isn", "ll", "ma", "mightn",
        "mustn", "needn", "re", "shan", "shouldn", "ve", "wasn", "weren", "won", "wouldn", "d", "m", "o", "s", "t", "y",
    ])

    /// Words too general to be an answer: "use", "the function", "the following".
    static let genericWords: Set<String> = [
        "use", "uses", "using", "used", "set", "sets", "get", "question", "make", "makes", "do", "done", "call", "calls",
        "function", "functions", "method", "methods", "value", "values", "object", "objects", "example",
        "examples", "following", "code", "way", "ways", "thing", "things", "something", "decorator",
        "module", "modules", "class", "classes", "type", "types", "argument", "arguments", "parameter",
        "parameters", "return", "returns", "returned", "see", "note", "below", "above", "new",
        "option", "options", "write", "read", "run", "create",
    ]

    /// A past participle ("specified", "given", "found") or a qualifying adjective: words that
    /// describe what the answer is like, never name it.
    static func isQualifier(_ word: String) -> Bool {
        if irregularParticiples.contains(word) || qualifyingAdjectives.contains(word) { return true }
        // Regular participles: "-ed" after a consonant ("nested", "required", "recommended"),
        // not "speed" or "red".
        guard word.count > 4, word.hasSuffix("ed") else { return false }
        let before = word[word.index(word.endIndex, offsetBy: -3)]
        return !"aeiou".contains(before) || word.hasSuffix("ied") || word.hasSuffix("ued")
    }

    /// An adverb of manner, by its ending ("recursively", "automatically", "carefully"): not
    /// every "-ly" word ("family", "supply", "assembly" are not).
    static func isAdverb(_ word: String) -> Bool {
        word == "simply" || (word.count > 6 && adverbEndings.contains { word.hasSuffix($0) })
    }

    static let adverbEndings = ["ally", "ively", "ously", "ently", "antly", "fully", "lessly", "ingly", "edly",
                                "ately", "ctly", "ibly", "ably"]

    static let irregularParticiples: Set<String> = [
        "given", "taken", "known", "shown", "found", "done", "made", "written", "seen", "chosen", "built",
        "kept", "left", "put", "held", "sent", "told", "brought", "thrown", "hidden", "broken", "drawn",
        "begun", "run", "got", "gotten", "meant", "understood", "bound", "spent", "lost",
    ]

    static let qualifyingAdjectives: Set<String> = [
        "possible", "impossible", "multiple", "optional", "valid", "invalid", "correct", "incorrect",
        "default", "different", "similar", "available", "necessary", "useful", "simple", "easy", "hard",
        "good", "better", "best", "bad", "large", "small", "short", "long", "certain", "specific",
        "general", "common", "usual", "normal", "various", "several", "many", "few", "even", "absolute",
        "relative", "appropriate", "suitable", "important", "likely", "unlikely", "able", "unable",
    ]

    /// Literals that answer no question a person asks a document on their own ("True", "None"),
    /// nor beside generic words only ("returns None"): the quoted sentence says more.
    static let literalWords: Set<String> = ["true", "false", "none", "null", "nil"]

    /// Function words kept inside a run ("Bishop of Sodor", "forty minutes and a half").
    static let joinerWords: Set<String> = ["of", "and", "the", "de", "von", "van", "per", "a"]
}
