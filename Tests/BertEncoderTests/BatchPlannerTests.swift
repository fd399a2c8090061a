import Testing
@testable import BertEncoder

@Suite("Batch planner") struct BatchPlannerTests {
    @Test("every text lands in exactly one batch, batches are balanced and a multiple of the lanes")
    func balanced() {
        let lengths = (0..<100).map { 20 + ($0 * 37) % 237 }
        let plan = BatchPlanner(tokenBudget: 2048, lanes: 2).plan(lengths: lengths)
        #expect(plan.flatMap { $0 }.sorted() == Array(0..<100))
        #expect(plan.count % 2 == 0)
        let sizes = plan.map { $0.reduce(0) { $0 + lengths[$1] } }
        #expect(sizes.max()! - sizes.min()! <= 256)
        #expect(sizes.max()! <= 2048 + 256)
        for batch in plan { #expect(zip(batch, batch.dropFirst()).allSatisfy { lengths[$0] >= lengths[$1] }) }
    }

    @Test("no texts, no batches; one text, one batch")
    func small() {
        #expect(BatchPlanner(tokenBudget: 2048, lanes: 2).plan(lengths: []).isEmpty)
        #expect(BatchPlanner(tokenBudget: 2048, lanes: 2).plan(lengths: [7]) == [[0]])
    }
}
