import Foundation
import Hummingbird
import Trove

/// How a generation is run for a request: in line (``FairQueue``), on a Dispatch thread, and
/// stopped when the client goes away, through a ``CancellationFlag`` the decoder checks before
/// each token. A request whose client left while it waited in line is skipped when its turn comes.
///
/// How the server learns that the client left:
/// - a whole (non-streamed) reply: Hummingbird watches the connection for the client's end of
///   it closing while the handler runs (``watchingClient(_:_:)``), reading the body through it;
/// - a stream: writing the next event fails. While a stream waits in line, a comment line is
///   written every second, so a client that left is noticed then too.
extension TroveServer {
    /// Runs `handle` with the request body and a flag that is raised if the client's side of the
    /// connection closes before `handle` returns. Watching ends the connection's reuse, so the
    /// response says `Connection: close` (HTTP clients then open a new one for the next request).
    func watchingClient(_ request: Request,
                        _ handle: (RequestBody, CancellationFlag) async throws -> Response) async throws -> Response {
        let flag = CancellationFlag()
        var response = try await request.body.consumeWithInboundCloseHandler({ body in
            try await handle(body, flag)
        }, onInboundClosed: { flag.cancel() })
        response.headers[.connection] = "close"
        return response
    }

    /// A whole generation: waits in line, then runs `work` on a Dispatch thread unless `flag` was
    /// raised; `flag` is raised when the generation has run ``ServerConfiguration/maxGenerationTime``.
    func generation<T: Sendable>(flag: CancellationFlag, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await generations.run {
            try await self.underDeadline(flag) {
                try await self.engine {
                    if flag.isCancelled { throw CancellationError() }
                    return try work()
                }
            }
        }
    }

    /// Runs `body`, raising `flag` (the decoder stops before its next token, stop reason
    /// `cancelled`) if it is still running after ``ServerConfiguration/maxGenerationTime``.
    func underDeadline<T>(_ flag: CancellationFlag, _ body: () async throws -> T) async rethrows -> T {
        let limit = configuration.maxGenerationTime
        let timer = Task {
            try await Task.sleep(for: limit)
            flag.cancel()
        }
        defer { timer.cancel() }
        return try await body()
    }

    /// A streamed generation: an event-stream response whose events `stream` sends once the
    /// request's turn has come; `stream` gets the stream's own flag and the event writer.
    func streamedGeneration(_ stream: @escaping @Sendable (CancellationFlag, EventWriter) async throws -> Void) -> Response {
        let flag = CancellationFlag()
        let body = ResponseBody { writer in
            // The response writer cannot leave this closure, so the producer sends frames
            // through `events` and they are written here, in order.
            let events = EventWriter()
            async let produced: Void = self.produce(flag: flag, events: events, stream)
            do {
                for await frame in events.frames { try await writer.write(frame) }
                try await writer.finish(nil)
            } catch {
                flag.cancel()           // the client is gone: stop generating
            }
            await produced
        }
        return Response(status: .ok, headers: ServerSentEvents.headers, body: body)
    }

    /// Waits for the request's turn (writing a comment every second meanwhile), runs `stream`,
    /// and always ends the frames; a failure after the 200 was sent becomes an `error` event
    /// carrying the JSON error.
    private func produce(flag: CancellationFlag, events: EventWriter,
                         _ stream: @Sendable (CancellationFlag, EventWriter) async throws -> Void) async {
        defer { events.finish() }
        let heartbeat = Task {
            while !Task.isCancelled && !flag.isCancelled {
                try await Task.sleep(for: .seconds(1))
                events.send(ServerSentEvents.comment("waiting for a free decoder"))
            }
        }
        do {
            try await generations.run {
                heartbeat.cancel()
                if flag.isCancelled { throw CancellationError() }
                try await self.underDeadline(flag) { try await stream(flag, events) }
            }
        } catch {
            heartbeat.cancel()
            events.send(ServerSentEvents.frame(event: "error", data: String(decoding: apiError(error).jsonBody, as: UTF8.self)))
        }
    }
}

/// Frames on their way from a generation thread to the response writer (any thread may send).
final class EventWriter: Sendable {
    let frames: AsyncStream<ByteBuffer>
    private let sink: AsyncStream<ByteBuffer>.Continuation

    init() {
        (frames, sink) = AsyncStream.makeStream(of: ByteBuffer.self)
    }

    func send(_ frame: ByteBuffer) { sink.yield(frame) }

    /// A `data:` event holding `value` as JSON, with an optional event name.
    func send(event: String? = nil, json value: some Encodable) {
        if let frame = try? ServerSentEvents.frame(event: event, json: value) { sink.yield(frame) }
    }

    func finish() { sink.finish() }
}

extension GenerationOptions {
    /// These options, stopped when `flag` is raised.
    func cancelled(by flag: CancellationFlag) -> GenerationOptions {
        var options = self
        options.cancellation = flag
        return options
    }
}

extension AskOptions {
    /// These options, their generation stopped when `flag` is raised.
    func cancelled(by flag: CancellationFlag) -> AskOptions {
        var options = self
        options.cancellation = flag
        return options
    }
}
