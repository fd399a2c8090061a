/// What kind of words answer a question, read from its wording: the classic first step of
/// question answering (answer-type detection), used to choose where a copied answer may start.
///
/// "How many blocks…" is answered by a number, not by the subject of the sentence that holds the
/// number; "Who was…" by a name. A 135M model left to choose starts on the sentence's first noun.
enum AnswerType: Equatable {
    case number, date, name, code, any

    init(question: String) {
        let lower = question.lowercased()
        let words = AnswerText.words(lower)
        func has(_ phrases: [String]) -> Bool { phrases.contains { lower.contains($0) } }
        // "How can I find out how many processors…" asks for a procedure, not for a number.
        if Self.asksHowTo(question) {
            self = .any
        } else if has(["how many", "how much", "how long", "how often", "how tall", "how high", "how far", "how old",
                "how deep", "how big", "how large", "what percentage", "what size", "cost", "what age"]) {
            self = .number
        } else if words.first == "when" || has(["what year", "which year", "what date", "which date", "what day"]) {
            self = .date
        } else if words.first == "who" || words.first == "whom" || words.first == "whose" {
            self = .name
        } else if (words.first == "which" || words.first == "what") && words.prefix(4).contains(where: Self.codeNouns.contains) {
            self = .code
        } else {
            self = .any
        }
    }

    /// Whether `span`, copied from the text, may stand as the short answer of `question`. Not for
    /// a question that asks yes or no (``asksYesOrNo(_:)``: the quote answers it), and for one that
    /// asks how to do something ("How do I make a script executable?") only when it is what to type,
    /// a call, a name in code or an option (``ShortAnswer/looksLikeCode(_:)``): "two" or "light
    /// blinks amber" would read as the answer to a how-to question.
    static func spanAnswers(_ question: String, span: String) -> Bool {
        if asksYesOrNo(question) { return false }
        return !asksHowTo(question) || ShortAnswer.looksLikeCode(span)
    }

    /// "Which ls option…", "what flag…": a question answered by a command-line option.
    static func asksForOption(_ question: String) -> Bool {
        AnswerText.words(question).contains { ["option", "options", "flag", "flags", "switch"].contains($0) }
    }

    /// "How do I…", "How can you…", "How should we…": a question that asks for a procedure.
    static func asksHowTo(_ question: String) -> Bool {
        let words = AnswerText.words(question)
        return words.count > 2 && words[0] == "how" && auxiliaries.contains(words[1])
            && ["i", "you", "we", "one"].contains(words[2])
    }

    /// Whether `question` asks yes or no ("Is it safe to unpickle…?", "Can I use the widget in the
    /// rain?"): a span copied from the text does not answer it, the quote does. Not a question that
    /// asks for a thing ("Is there a way to…?") or offers alternatives ("…at 0 or at 1?").
    static func asksYesOrNo(_ question: String) -> Bool {
        let words = AnswerText.words(question)
        guard let first = words.first, auxiliaries.contains(first) else { return false }
        return words.dropFirst().first != "there" && !words.contains("or")
    }

    static let auxiliaries: Set<String> = [
        "is", "are", "was", "were", "am", "can", "could", "do", "does", "did", "will", "would", "should",
        "shall", "has", "have", "had", "may", "might", "must", "isn", "aren", "doesn", "don", "won",
    ]

    /// Whether `text` holds a word of this type: a sentence without one cannot give the short
    /// answer ("cp - copy files and directories" holds no option for "Which cp option…").
    func occurs(in text: Substring) -> Bool {
        self == .any || text.split(whereSeparator: \.isWhitespace).contains { admits(ShortAnswer.clean(String($0))) }
    }

    /// Whether a span of this type may start with the word piece `piece` (its text).
    func admits(_ piece: String) -> Bool {
        let word = piece.drop { $0 == " " }
        guard let first = word.first else { return false }
        switch self {
        case .any: return true
        case .number:
            // A year is a date, not a quantity: "how long" is not answered by "1906".
            if Self.isYear(word) { return false }
            return first.isNumber || "£$€¥".contains(first)
                || ShortAnswer.numberWords.contains(AnswerText.words(String(word)).first ?? "")
        case .date:
            return first.isNumber || Self.months.contains(AnswerText.words(String(word)).first ?? "")
        case .name:
            return first.isUppercase
        case .code:
            // `name(…)`, `a.b`, `snake_case`, `camelCase`, `CamelCase`, `--option`: what one types.
            // A number ("0.0") is not a name, and "Ctrl+C" is not camelCase.
            let text = String(word)
            guard text.contains(where: \.isLetter), !text.contains("://") else { return false }   // an address is no name in code
            let camelCase = zip(text, text.dropFirst()).contains { $0.isLowercase && $1.isUppercase }
            return ShortAnswer.looksLikeCode(text) || camelCase || text.contains("_")
        }
    }

    /// "Which function…", "what method…": the answer is a name in the code.
    static let codeNouns: Set<String> = [
        "function", "functions", "method", "methods", "class", "classes", "module", "modules", "constant",
        "exception", "decorator", "attribute", "keyword", "statement", "operator", "helper", "flag",
        "option", "argument", "parameter", "variable", "command", "type", "builtin",
    ]

    /// The units a quantity question asks in (lower-case words), or nil when it names no quantity
    /// with units: a length for "how tall", "how high", "how deep", "how far", "how wide"; a length
    /// or a time for "how long"; an age for "how old"; money for "how much … cost".
    static func units(askedIn question: String) -> Set<String>? {
        let lower = question.lowercased()
        if ["how tall", "how high", "how deep", "how far", "how wide"].contains(where: lower.contains) { return lengthUnits }
        if lower.contains("how long") { return lengthUnits.union(timeUnits) }
        if lower.contains("how old") { return ["year", "years", "month", "months"] }
        if lower.contains("cost") || lower.contains("how much money") { return moneyUnits }
        return nil
    }

    static let lengthUnits: Set<String> = [
        "m", "metre", "metres", "meter", "meters", "km", "kilometre", "kilometres", "kilometer", "kilometers",
        "cm", "mm", "ft", "foot", "feet", "inch", "inches", "yard", "yards", "mile", "miles", "fathom", "fathoms",
    ]
    static let timeUnits: Set<String> = [
        "second", "seconds", "minute", "minutes", "min", "hour", "hours", "day", "days", "week", "weeks",
        "month", "months", "year", "years", "ms",
    ]
    static let moneyUnits: Set<String> = [
        "pound", "pounds", "dollar", "dollars", "euro", "euros", "pence", "cents", "shillings", "guineas",
    ]

    /// Whether `span` carries one of `units`: as a word ("14 metres"), or for money as a currency sign ("£9.50").
    static func carries(_ span: String, units: Set<String>) -> Bool {
        AnswerText.words(span).contains(where: units.contains) || (units == moneyUnits && span.contains(where: "£$€¥".contains))
    }

    /// "1906", "1906,": four digits between 1000 and 2199.
    static func isYear(_ word: Substring) -> Bool {
        let digits = word.prefix { $0.isNumber }
        guard digits.count == 4, word.dropFirst(4).allSatisfy({ $0.isPunctuation }), let value = Int(digits) else { return false }
        return (1000...2199).contains(value)
    }

    static let months: Set<String> = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    ]
}
