import APIServer
import Engine

extension ClientStream {
    /// The engine's view of a hijacked connection.
    init(_ connection: HijackedConnection) {
        let inbound = connection.inbound
        self.init(
            input: AsyncThrowingStream { continuation in
                let task = Task {
                    do {
                        for try await chunk in inbound { continuation.yield(chunk) }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
                continuation.onTermination = { _ in task.cancel() }
            },
            write: { bytes in try await connection.write(bytes) },
            closeWrite: { connection.closeWrite() })
    }
}
