import Testing
@testable import LlamaDecoder

@Suite("TextStreamer")
struct TextStreamerKeepsCharactersWholeTests {
    @Test("bytes split across tokens come out as whole characters", arguments: ["héllo", "日本語", "🙂👍🏽 ok", "a\u{301}"])
    func splitCharactersAreJoined(text: String) {
        // One "token" per byte: the worst case for a byte-level vocabulary.
        let bytes = Array(text.utf8)
        var streamer = TextStreamer(piece: { [bytes[Int($0)]] })
        var out = ""
        for i in bytes.indices {
            let piece = streamer.append(Int32(i))
            #expect(!piece.contains("\u{FFFD}"), "a partial character was released at byte \(i)")
            out += piece
        }
        out += streamer.finish()
        #expect(out == text)
    }

    @Test("a stray continuation byte does not stall the stream")
    func strayByteIsReleased() {
        let bytes: [UInt8] = [0x80, 0x80, 0x80, 0x80, 0x41]
        var streamer = TextStreamer(piece: { [bytes[Int($0)]] })
        var out = ""
        for i in bytes.indices { out += streamer.append(Int32(i)) }
        out += streamer.finish()
        #expect(out.hasSuffix("A"))
    }
}
