import StackCore

/// One step of the resolver: answers a query, or returns nil to let the next step try.
public protocol DNSHandler: Sendable {
    /// The response to `query` asked from `source`, or nil when this handler has nothing to say.
    func answer(_ query: DNSMessage, from source: IPAddress) -> DNSMessage?
}

/// Handlers tried in order; the first answer wins.
public struct DNSHandlerChain: DNSHandler {
    public var handlers: [any DNSHandler]

    public init(_ handlers: [any DNSHandler]) { self.handlers = handlers }

    public func answer(_ query: DNSMessage, from source: IPAddress) -> DNSMessage? {
        for handler in handlers {
            if let reply = handler.answer(query, from: source) { return reply }
        }
        return nil
    }
}

/// Refuses what the server does not serve before any lookup: REFUSED for opcodes other than QUERY,
/// FORMERR for a query that decodes but makes no sense (not exactly one question, records in the
/// answer or authority section, more than one OPT record, a question for OPT), BADVERS for EDNS
/// versions other than 0. Passes the rest on.
public struct QueryValidator: DNSHandler {
    public init() {}

    public func answer(_ query: DNSMessage, from source: IPAddress) -> DNSMessage? {
        if query.header.opcode != .query { return query.response(rcode: .refused) }
        let optCount = query.additionals.count { $0.type == .opt }
        if query.header.isResponse || query.questions.count != 1 || !query.answers.isEmpty
            || !query.authorities.isEmpty || optCount > 1 || query.questions.contains(where: { $0.type == .opt })
        {
            var reply = query.response(rcode: .formatError)
            if query.questions.count != 1 { reply.questions = [] }  // echo nothing odd back
            if optCount > 1 { reply.edns = DNSEDNS() }
            return reply
        }
        if let edns = query.edns, edns.version != 0 {
            // RFC 6891 6.1.3: BADVERS (16) is rcode 0 in the header and 1 in the OPT's upper bits.
            var reply = query.response()
            reply.edns = DNSEDNS(extendedRcode: 1)
            return reply
        }
        return nil
    }
}

/// Where questions outside our names go (the host's resolvers). Nil means no usable answer (timeout,
/// every upstream failed); the resolver then answers SERVFAIL.
public protocol UpstreamForwarder: Sendable {
    func forward(_ query: DNSMessage) async -> DNSMessage?
}

/// An upstream that answers from a fixed table (for tests and for wiring before the UDP forwarder exists):
/// A/AAAA/... records per name, NXDOMAIN for other names, or nothing at all when `failing`.
public struct FakeUpstream: UpstreamForwarder {
    public var records: [DNSName: [DNSRecord]]
    public var failing: Bool

    public init(records: [DNSName: [DNSRecord]] = [:], failing: Bool = false) {
        self.records = records
        self.failing = failing
    }

    public func forward(_ query: DNSMessage) async -> DNSMessage? {
        if failing { return nil }
        guard let question = query.questions.first else { return query.response(rcode: .formatError) }
        guard let known = records[question.name] else { return query.response(rcode: .nameError) }
        var reply = query.response()
        reply.answers = known.filter { question.type == .any || $0.type == question.type }
        return reply
    }
}

/// The whole resolver: validation, our own handlers, then the upstream. Turns packets into replies.
public struct DNSResolver: Sendable {
    public var handlers: DNSHandlerChain
    public var upstream: (any UpstreamForwarder)?

    /// `handlers` run after a `QueryValidator`; an unanswered query goes to `upstream` (SERVFAIL without one).
    public init(handlers: [any DNSHandler], upstream: (any UpstreamForwarder)?) {
        self.handlers = DNSHandlerChain([QueryValidator()] + handlers)
        self.upstream = upstream
    }

    /// The response to a decoded query.
    public func respond(to query: DNSMessage, from source: IPAddress) async -> DNSMessage {
        if let reply = handlers.answer(query, from: source) { return reply }
        guard let upstream, var reply = await upstream.forward(query) else {
            return query.response(rcode: .serverFailure)
        }
        reply.header.id = query.header.id
        reply.header.isResponse = true
        reply.questions = query.questions
        return reply
    }

    /// The reply packet for a received packet, or nil when nothing should be sent: packets shorter than
    /// a header and responses are dropped (no reflection); a query whose body does not decode gets a
    /// bare FORMERR header. UDP replies are cut to 512 bytes (or the asker's EDNS0 size) with TC set.
    public func respond(toPacket packet: [UInt8], from source: IPAddress, overUDP: Bool = true) async -> [UInt8]? {
        guard let header = DNSMessage.peekHeader(packet), !header.isResponse else { return nil }
        let query: DNSMessage
        do {
            query = try DNSMessage(decoding: packet)
        } catch {
            let bare = DNSMessage(header: header).response(rcode: .formatError)
            return bare.encoded()
        }
        let reply = await respond(to: query, from: source)
        if overUDP {
            return reply.encodedForUDP(ednsLimit: query.edns.map { min(Int($0.udpPayloadSize), 4096) })
        }
        return reply.encoded(limit: Int(UInt16.max))
    }
}
