import Foundation

extension TroveIndex {
    /// Answers the last user turn of a conversation from the index (``ask(_:options:onText:)``):
    /// what `trove serve` does for the `trove` model of `/v1/chat/completions`.
    ///
    /// A follow-up often names its subject only in an earlier turn ("When was Marrow Rock lit?",
    /// then "And who built it?"). A last turn that refers back (a pronoun such as "it" or "they",
    /// "this", "there") is asked with the two user turns before it prepended, so retrieval sees the
    /// subject; any other is asked alone first, and again with them when the documents do not
    /// cover it alone. Assistant turns are never searched: they hold earlier answers, not the
    /// user's words. The answer's `question` is the last turn.
    public func ask(conversation turns: [ChatTurn], options: AskOptions = AskOptions(),
                    onText: (String) -> Void = { _ in }) throws -> Answer {
        let asked = turns.filter { $0.role == .user }.map(\.content)
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard let question = asked.last else {
            throw TroveError("answering a conversation", message: "the conversation holds no user turn to answer")
        }
        let earlier = asked.dropLast().suffix(2)
        let withContext = (earlier + [question]).joined(separator: "\n")
        var answer: Answer
        if !earlier.isEmpty && Self.refersBack(question) {
            answer = try ask(withContext, options: options, onText: onText)
        } else {
            answer = try ask(question, options: options, onText: onText)
            if answer.notCovered, !earlier.isEmpty, options.cancellation?.isCancelled != true {
                answer = try ask(withContext, options: options, onText: onText)
            }
        }
        answer.question = question
        return answer
    }

    /// Words by which a question points back at an earlier one's subject.
    static let referringWords: Set<String> = [
        "it", "its", "it's", "they", "them", "their", "theirs", "this", "that", "these", "those",
        "he", "him", "his", "she", "her", "hers", "there", "then", "same", "former", "latter",
    ]

    static func refersBack(_ question: String) -> Bool {
        question.lowercased().split { !$0.isLetter && $0 != "'" }.contains { referringWords.contains(String($0)) }
    }
}
