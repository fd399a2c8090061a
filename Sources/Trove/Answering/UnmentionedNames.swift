/// The names in a question that the documents never mention.
///
/// A question about a tool, a library or a place that the index has no word for ("Which pandas
/// function reads an Excel spreadsheet?" over Python's documentation, "How do I list running
/// services with systemctl?" over a folder of man pages) is about something else: the passages
/// closest to it only look alike (`csv.excel_tab`, `ps`), and their cosines to the question are
/// those of a loosely related page. `ask` then wants a passage much closer to the question before
/// it answers (``AskOptions/minimumCosineUnmentioned``), and says which names it did not find.
///
/// A name is a word of at least three letters or digits that is not a stop word and that either
/// is capitalised after the question's first word ("Django", "ImageMagick") or is not one word of
/// the encoder's vocabulary ("conda", "nginx", "openpyxl"). Ordinary words can pass that test
/// ("snippet", "synchronise"), which is why an unmentioned name raises the bar rather than
/// refusing outright: a question in other words than the documents' still finds a close passage.
enum UnmentionedNames {
    static let shortestName = 3

    /// The words of `question` that look like names, in order; `pieces` counts a word's word
    /// pieces in the encoder's vocabulary.
    static func candidates(in question: String, pieces: (Substring) -> Int) -> [String] {
        let words = question.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        var names: [String] = []
        for (i, word) in words.enumerated() where word.count >= shortestName {
            let lower = word.lowercased()
            guard !AnswerText.stopWords.contains(lower), !names.contains(String(word)) else { continue }
            let capitalised = i > 0 && word.first?.isUppercase == true
            let mixedCase = word.dropFirst().contains(where: \.isUppercase)
            if capitalised || mixedCase || pieces(Substring(lower)) > 1 { names.append(String(word)) }
        }
        return names
    }

    /// The names of `question` that `occurs` (the index's full-text table) finds nowhere.
    static func find(in question: String, pieces: (Substring) -> Int, occurs: (String) throws -> Bool) rethrows -> [String] {
        try candidates(in: question, pieces: pieces).filter { try !occurs($0.lowercased()) }
    }
}
