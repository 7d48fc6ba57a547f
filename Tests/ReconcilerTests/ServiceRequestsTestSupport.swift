import Foundation
import StackAPI
import StackCore
@testable import Reconciler

/// The create request of container `number` of `service` in the project of `yaml`.
func containerRequest(
    _ yaml: String, service: String = "web", number: Int = 1, imageIDs: [String: String] = [:]
) throws -> (name: String, request: ContainerCreateRequest) {
    let desired = try desiredState(yaml, imageIDs: imageIDs)
    guard let desiredService = desired.service(named: service) else {
        throw StackError(.notFound, "no service \(service)")
    }
    return try ServiceRequests.container(for: desiredService, number: number, desired: desired)
}

/// The part of `value`'s JSON at `path` (keys into nested objects), re-encoded with sorted keys;
/// nil when a key is missing.
func jsonText(_ value: some Encodable, _ path: String...) throws -> String? {
    let data = try JSONEncoder().encode(value)
    var node: Any = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    for key in path {
        guard let object = node as? [String: Any], let next = object[key] else { return nil }
        node = next
    }
    let out = try JSONSerialization.data(
        withJSONObject: node, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
    return String(decoding: out, as: UTF8.self)
}

/// The error `body` throws, as a StackError (nil when it does not throw).
func stackError(_ body: () throws -> Void) -> StackError? {
    do {
        try body()
        return nil
    } catch let error as StackError {
        return error
    } catch {
        return StackError(.internalError, "\(error)")
    }
}
