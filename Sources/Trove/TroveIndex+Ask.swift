import Foundation
import LlamaDecoder

/// How `ask` retrieves and answers.
public struct AskOptions: Sendable {
    /// Passages retrieved; the evidence is chosen among them.
    public var k = 5
    /// The retriever (hybrid unless told otherwise).
    public var mode: SearchMode = .default
    /// Which documents to answer from (``SearchFilter``); all by default.
    public var filter = SearchFilter()
    /// Passages retrieved beyond `k`: the best by their own BM25 among those the hybrid ranking
    /// left out. A reference list (a man page's options, an API's entries) holds the line that
    /// answers in a passage whose vector is an average of twenty entries, and three passages of
    /// the same page (its NAME, SYNOPSIS and SEE ALSO, short and close to any question about the
    /// command) may take the page's places (``PassageRanking/defaultPassagesPerDocument``); the
    /// evidence step then judges that line sentence by sentence (Benchmarks/answers/README.md
    /// has what it changed on each question set).
    public var keywordPassages = 1
    /// Passages the model reads: those holding the sentences that best match the question.
    public var contextPassages = 2
    /// Below this cosine between the question and its closest passage, the documents are taken
    /// not to cover the question and the model is not run. (Coverage is decided by retrieval and
    /// evidence scores, not by the model: a 135M model refuses and complies about at random.)
    public var minimumCosine: Float = 0.3
    /// The same, when the question names something the index never mentions (``UnmentionedNames``):
    /// only a passage this close covers it. Set between the off-topic questions of the Python and
    /// man-page sets that name a missing tool (closest passage ≤ 0.51) and the covered questions of
    /// all sets whose words the documents do not use ("synchronise", "snippet": ≥ 0.57).
    public var minimumCosineUnmentioned: Float = 0.55
    /// Below this score of the best sentence (``EvidenceSelection``), likewise. Both thresholds
    /// were set on Corpora/QUESTIONS.md and off-topic questions written for it (covered: best
    /// sentence ≥ 0.59, passage ≥ 0.36; off-topic: ≤ 0.39 and ≤ 0.26), not on the benchmark sets.
    public var minimumEvidence: Float = 0.45
    /// Tokens the prompt may use at most (the model's context window caps it too).
    public var promptBudget = 1536
    /// Evidence sentences the answer may be copied from.
    public var candidateSentences = 3
    /// A second evidence sentence is quoted beside the answer's when its score is within this of
    /// the best sentence's: the encoder cannot tell them apart, and showing both costs a person one
    /// line where showing the wrong one alone costs the answer. (On the Python documentation set
    /// the evidence's best sentence held the answer 44 times in 128, the best two 56 times; set on
    /// the scores' spread, not per question: 0.05 shows a second sentence for about 60% of questions.)
    public var secondQuoteMargin: Float = 0.05
    /// When set and cancelled, the decoder is not run (a server's client went away).
    public var cancellation: CancellationFlag?

    public init() {}
}

extension TroveIndex {
    /// Answers `question` from the index, as the README's "How `ask` answers" says: retrieve,
    /// choose the evidence sentences with the encoder, let the decoder rank the candidate spans
    /// of those sentences (``ContinuationScorer``) with the two best passages as context, then
    /// quote the sentence that holds the winner (and the runner-up sentence when the encoder
    /// scores it within ``AskOptions/secondQuoteMargin``). The decoder never writes: what is shown is
    /// always verbatim from a passage. `onText` receives the shown answer (`cited_answer`) once
    /// it is known; nothing else.
    public func ask(_ question: String, options: AskOptions = AskOptions(),
                    onText: (String) -> Void = { _ in }) throws -> Answer {
        let started = Date()
        var timings = AskTimings()
        var answer = Answer(question: question, answer: nil, citedAnswer: nil, rawAnswer: "", citations: [],
                            passages: [], grounded: false, notCovered: true, timings: timings)
        func finish() -> Answer {
            timings.totalSeconds = Date().timeIntervalSince(started)
            answer.timings = timings
            if let shown = answer.citedAnswer { onText(shown) }
            return answer
        }
        var mark = Date()
        let encoder = try encoder()
        _ = try database()
        timings.loadSeconds += Date().timeIntervalSince(mark)

        mark = Date()
        let results = try search(question, k: options.k, mode: options.mode, weights: .default, filter: options.filter,
                                 explain: false, queryVector: nil, cosines: true, keywordPassages: options.keywordPassages)
        answer.unmentioned = try UnmentionedNames.find(in: question, pieces: encoder.wordPieceCount) {
            try database().keywordOccurs($0, in: .passages)
        }
        let minimumCosine = answer.unmentioned.isEmpty ? options.minimumCosine : max(options.minimumCosine, options.minimumCosineUnmentioned)
        timings.retrievalSeconds = Date().timeIntervalSince(mark)
        guard let closest = results.compactMap(\.cosine).max(), closest >= minimumCosine else { return finish() }

        mark = Date()
        let evidence = try during("scoring the passages' sentences") {
            try EvidenceSelection(question: question, passages: results.map { ($0.text, $0.cosine ?? 0) },
                                  contexts: results.map { [$0.title, $0.headingPath].compactMap { $0 }.joined(separator: " ") },
                                  embed: { try encoder.embed($0) })
        }
        timings.evidenceSeconds = Date().timeIntervalSince(mark)
        guard let best = evidence.sentences.first, best.score >= options.minimumEvidence else { return finish() }

        mark = Date()
        let decoder = try decoder()
        timings.loadSeconds += Date().timeIntervalSince(mark)
        let template = try decoder.requireTemplate()
        // The passages holding the best sentences, numbered in the retriever's order: the quotes
        // are shown in that order too (``rangesByPassage(_:)``), so [1] comes before [2].
        // A sentence whose paragraph holds no word of the type the question asks for (no number for
        // "how many", no option or name in code for "which option") cannot give the short answer, so
        // the passages and sentences that can come first.
        // Each sentence is judged once (its quote re-reads its passage), and none when any word answers.
        let type = AnswerType(question: question)
        var answerable: [Int: Set<Range<String.Index>>] = [:]
        if type != .any {
            for sentence in evidence.sentences {
                let text = results[sentence.passage].text
                if type.occurs(in: text[PassageSentences.quote(around: sentence.range, in: text)]) {
                    answerable[sentence.passage, default: []].insert(sentence.range)
                }
            }
        }
        let canAnswer = { (sentence: EvidenceSelection.Sentence) -> Bool in
            type == .any || answerable[sentence.passage]?.contains(sentence.range) == true
        }
        let order = evidence.passageOrder(count: options.contextPassages, canAnswer: canAnswer).sorted()

        // The answer is copied from the best evidence sentences of those passages.
        // Headings, fragments ("## 3. Watches") and questions ("How do I…?") repeat the question's
        // words but answer nothing.
        let given = evidence.sentences.filter { order.contains($0.passage) }
        let whole = given.filter { !$0.asks && AnswerText.words(String(results[$0.passage].text[$0.range])).count >= 4 }
        let ranked = whole.filter(canAnswer) + whole.filter { !canAnswer($0) }
        let chosen = Array((whole.isEmpty ? given : ranked).prefix(options.candidateSentences))
        let sentenceTexts = chosen.map { String(results[$0.passage].text[$0.range]) }
        answer.evidence = zip(chosen, sentenceTexts).map { Evidence(n: (order.firstIndex(of: $0.passage) ?? 0) + 1, sentence: $1, score: $0.score) }
        guard let best = chosen.first else { return finish() }

        // The model reads the evidence, not whole passages: each passage's best sentences with
        // their paragraphs (``excerpt(of:sentences:)``). Less to get lost in for a 135M model, and a
        // shorter prompt (the prefill is most of the time `ask` takes: 0.83 s → 0.46 s on the demo index).
        let excerpts = order.map { p -> SearchResult in
            var excerpt = results[p]
            let own = chosen.filter { $0.passage == p }
            excerpt.text = Self.excerpt(of: results[p].text, sentences: own.isEmpty ? Array(given.filter { $0.passage == p }.prefix(1)) : own)
            return excerpt
        }
        // Room after the prompt for the lead and the longest candidate.
        let reserve = 64
        let window = min(decoder.model.config.contextLength, options.promptBudget + reserve)
        let prompt = try PromptBuilder(tokenizer: decoder.tokenizer, template: template, budget: window - reserve)
            .build(question: question, results: excerpts)
        answer.passages = prompt.passages

        // The short answer: the candidate span the decoder finds most likely after "The answer is".
        // Spans are taken from each sentence's paragraph, the text that will be quoted for it:
        // "The pass statement does nothing." beside the sentence that matched the question.
        let paragraphs = chosen.map { String(results[$0.passage].text[PassageSentences.quote(around: $0.range, in: results[$0.passage].text)]) }
        // A question that asks for an option is answered by an option's tag (``optionEntry(for:chosen:in:)``),
        // any other by the candidate span the decoder ranks best.
        let picked: (sentence: Int, text: String)?
        let optionEntry = Self.optionEntry(for: question, chosen: chosen, in: results)
        if let optionEntry {
            let text = results[chosen[optionEntry.sentence].passage].text
            picked = (optionEntry.sentence, String(text[optionEntry.name]))
        } else {
            let candidates = AnswerCandidates(sentences: paragraphs, question: question).candidates
            if options.cancellation?.isCancelled == true { return finish() }
            picked = try pickCandidate(candidates, prompt: prompt, decoder: decoder, timings: &timings).map { ($0.sentence, $0.text) }
        }
        let quotedSentence = picked.map { chosen[$0.sentence] } ?? best
        answer.rawAnswer = picked?.text ?? ""

        // A quote must be in what the model read: not in an excerpt cut to fit the context window.
        func untrimmed(_ sentence: EvidenceSelection.Sentence) -> Bool {
            !prompt.passages[order.firstIndex(of: sentence.passage) ?? 0].trimmed
        }
        guard untrimmed(quotedSentence) else { return finish() }
        // The runner-up among the evidence sentences, when the encoder's scores cannot tell it from the best
        // (for an option, the runner-up among the options: prose beside it answers no "which option").
        var quoted = [quotedSentence]
        func isOption(_ sentence: EvidenceSelection.Sentence) -> Bool {
            AnswerCandidates.firstOptionEntry([(results[sentence.passage].text, sentence.range)]) != nil
        }
        if let second = chosen.first(where: { ($0.passage != quotedSentence.passage || $0.range != quotedSentence.range)
                                              && (optionEntry == nil || isOption($0)) }),
           second.score >= best.score - options.secondQuoteMargin, untrimmed(second) {
            quoted.append(second)
        }
        // The answer's sentence is shown with the rest of its paragraph (``PassageSentences/quote(around:in:)``);
        // the runner-up stays one sentence, so that the answer is not lost in a page of text.
        quoted[0].range = PassageSentences.quote(around: quotedSentence.range, in: results[quotedSentence.passage].text)
        // An option's quote starts at its tag, which is the short answer.
        if let entry = optionEntry?.entry {
            quoted[0].range = min(entry.lowerBound, quoted[0].range.lowerBound) ..< max(entry.upperBound, quoted[0].range.upperBound)
        }
        var citations: [Citation] = []
        var shown: [String] = []
        for (p, ranges) in Self.rangesByPassage(quoted) {
            let passage = prompt.passages[order.firstIndex(of: p) ?? 0], text = results[p].text
            citations.append(Citation(passage: passage, quoting: ranges[0].lowerBound ..< ranges[ranges.count - 1].upperBound, in: text))
            var quote = String(text[ranges[0]])
            for (before, range) in zip(ranges, ranges.dropFirst()) {
                // Adjacent sentences are quoted as they stand; a gap between them is marked.
                let gap = text[before.upperBound ..< range.lowerBound]
                quote += gap.allSatisfy(\.isWhitespace) ? String(gap) : " … "
                quote += text[range]
            }
            shown.append("\(quote) [\(passage.n)]")
        }
        answer.citations = citations
        answer.citedAnswer = shown.joined(separator: "\n")
        // A yes-or-no question is answered by the quote, and a how-to question by a call or command
        // or by the quote: another span would read as the answer ("bytea" for "Is varchar(255)
        // faster than text?", "two" for "How do I make a script executable?"). The span still
        // chose which sentence to quote.
        answer.answer = picked.map(\.text).flatMap { AnswerType.spanAnswers(question, span: $0) ? $0 : nil }
        answer.grounded = true
        answer.notCovered = false
        return finish()
    }

    /// For a question that asks for an option, the entry of the first of the `chosen` sentences
    /// that lies in an option's entry on the best sentence's page; nil for any other question.
    /// The decoder is not asked: among neighbouring entries it picks a tag nearly at random ("-u"
    /// for ls's "sort by time, newest first" under "-t"). And "ssh will simply ignore a private key
    /// file…" is no reason to answer with curl's "--key".
    static func optionEntry(for question: String, chosen: [EvidenceSelection.Sentence],
                            in results: [SearchResult]) -> AnswerCandidates.OptionEntry? {
        guard AnswerType.asksForOption(question), let best = chosen.first else { return nil }
        return AnswerCandidates.firstOptionEntry(chosen.map { sentence in
            results[sentence.passage].path == results[best.passage].path ? (results[sentence.passage].text, sentence.range) : nil
        })
    }

    /// What the model reads of a passage: the paragraphs of its evidence sentences (the
    /// candidates it holds, else its best sentence), in text order, a gap between them marked "…".
    static func excerpt(of text: String, sentences: [EvidenceSelection.Sentence]) -> String {
        var ranges: [Range<String.Index>] = []
        for sentence in sentences where !ranges.contains(where: { $0.overlaps(sentence.range) }) {
            ranges.append(PassageSentences.quote(around: sentence.range, in: text))
        }
        return merged(ranges).map { String(text[$0]) }.joined(separator: "\n…\n")
    }

    /// The sentences' ranges by passage (one citation each), ranges in text order, passages in
    /// the retriever's order (`passage` indexes the search results): passage-level ranking, from
    /// BM25 and the dense vectors of whole chunks, is a stronger sign of the right page than which
    /// of two close sentences the decoder preferred.
    static func rangesByPassage(_ sentences: [EvidenceSelection.Sentence]) -> [(passage: Int, ranges: [Range<String.Index>])] {
        var groups: [(passage: Int, ranges: [Range<String.Index>])] = []
        for sentence in sentences {
            if let i = groups.firstIndex(where: { $0.passage == sentence.passage }) { groups[i].ranges.append(sentence.range) }
            else { groups.append((sentence.passage, [sentence.range])) }
        }
        return groups.sorted { $0.passage < $1.passage }.map { ($0.passage, merged($0.ranges)) }
    }

    /// Ranges in text order, overlapping ones joined (two quotes of one paragraph are shown once).
    static func merged(_ ranges: [Range<String.Index>]) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound ..< max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// Candidates the decoder scores: those standing best in their sentences (``AnswerCandidates/Candidate/context``).
    /// Each adds its tokens to the scoring pass; choosing them by the decoder's first token instead lost the
    /// answer of 6 of the 25 Corpora questions ("Forty-three" behind "4", "£9.50" behind "2").
    static let scoredCandidates = 12

    /// The candidate with the best sum of the decoder's score as the rest of "The answer is …" and
    /// its place in the evidence (``AnswerCandidates/Candidate/context``), or nil when there is none
    /// (a question that no span of the evidence answers on its own).
    private func pickCandidate(_ all: [AnswerCandidates.Candidate], prompt: BuiltPrompt, decoder: LoadedDecoder,
                               timings: inout AskTimings) throws -> AnswerCandidates.Candidate? {
        guard !all.isEmpty else { return nil }
        // The best by context, ties to the earlier candidate, kept in their order.
        let candidates = all.indices.sorted { all[$0].context != all[$1].context ? all[$0].context > all[$1].context : $0 < $1 }
            .prefix(Self.scoredCandidates).sorted().map { all[$0] }
        let started = Date()
        let tokenizer = decoder.tokenizer
        // Each piece continues the text before it (no SentencePiece space prefix).
        let lead = tokenizer.encodeContinuation(PromptBuilder.answerLead)
        let continuations = candidates.map { tokenizer.encodeContinuation(" " + $0.text) }
        let ends = decoder.endOfGeneration.union([".", "\n", ",", ";"].flatMap { tokenizer.encodeContinuation($0) })
        let scored = try during("scoring the candidate answers") {
            try ContinuationScorer.logLikelihoods(model: decoder.model, prompt: prompt.ids + lead,
                                                  continuations: continuations, ends: ends, keep: candidates.count,
                                                  lengthPenalty: 0.7)
        }
        timings.promptTokens = prompt.ids.count + lead.count
        timings.prefillSeconds = scored.prefillSeconds
        timings.generatedTokens = scored.steps
        timings.decodeSeconds = Date().timeIntervalSince(started) - scored.prefillSeconds
        let total = scored.scores.indices.map { scored.scores[$0] + Double(candidates[$0].context) }
        var best = 0
        for i in total.indices where total[i] > total[best] { best = i }
        return candidates[best]
    }

}
