#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP connection to the daemon: the channel and its response sink.
struct ClientConnection: Sendable {
    let channel: Channel
    let sink: ResponseSink

    /// Adopt a connected Unix socket (from `DaemonConnector`) into SwiftNIO.
    static func adopt(socket: CInt, group: any EventLoopGroup) async throws -> ClientConnection {
        let sink = ResponseSink()
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        HTTPRequestEncoder(),
                        ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)),
                        sink,
                    ])
                }
            }
            .withConnectedSocket(socket).get()
        return ClientConnection(channel: channel, sink: sink)
    }

    /// Write a request; the returned sequence yields the response's parts.
    func send(_ head: HTTPRequestHead, body: Data?) -> ResponseSink.Events {
        let events = sink.begin()
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if let body, !body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(channel.allocator.buffer(bytes: body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        return events
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Building request heads.
enum RequestBuilder {
    static func head(
        method: String, path: String, query: [(String, String)], headers: [(String, String)], bodyLength: Int?
    ) -> HTTPRequestHead {
        var target = percentEncode(path, allowing: pathAllowed)
        if !query.isEmpty {
            target += "?" + query.map { percentEncode($0.0, allowing: queryAllowed) + "=" + percentEncode($0.1, allowing: queryAllowed) }
                .joined(separator: "&")
        }
        var fields = HTTPHeaders()
        fields.add(name: "Host", value: "stackd")
        fields.add(name: "User-Agent", value: "stack")
        for (name, value) in headers { fields.replaceOrAdd(name: name, value: value) }
        if let bodyLength {
            fields.replaceOrAdd(name: "Content-Length", value: String(bodyLength))
            if fields["Content-Type"].isEmpty && bodyLength > 0 { fields.add(name: "Content-Type", value: "application/json") }
        }
        return HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method.uppercased()), uri: target, headers: fields)
    }

    static let pathAllowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/:@!$'()*,;=".utf8)
    static let queryAllowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/:@!$'()*,;".utf8)

    static func percentEncode(_ text: String, allowing allowed: Set<UInt8>) -> String {
        if text.utf8.allSatisfy(allowed.contains) { return text }
        var out = ""
        for byte in text.utf8 {
            if allowed.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
