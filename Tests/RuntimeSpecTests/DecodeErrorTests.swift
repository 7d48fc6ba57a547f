import StackCore
import Testing

@testable import RuntimeSpec

@Suite struct DecodeErrorTests {
    /// The rendered error for decoding `text` as config.json.
    func failure(_ text: String) -> String? {
        do {
            _ = try SpecLoader.decode(text: text)
            return nil
        } catch {
            #expect(error.code == .invalidArgument)
            return error.description
        }
    }

    @Test(arguments: [
        (#"{"ociVersion":"1.1.0","process":{"cwd":"/","args":"sh"}}"#,
         "config.json: process.args: expected an array of strings, found a string"),
        (#"{"ociVersion":"1.1.0","process":{"cwd":"/","args":["sh",1]}}"#,
         "config.json: process.args: expected an array of strings, found the number 1 at [1]"),
        (#"{"ociVersion":"1.1.0","process":{"args":["sh"]}}"#, "config.json: process.cwd: is required"),
        (#"{"process":{"cwd":"/"}}"#, "config.json: ociVersion: is required"),
        (#"{"ociVersion":1}"#, "config.json: ociVersion: expected a string, found the number 1"),
        (#"{"ociVersion":"1.1.0","root":{"path":"r","readonly":"yes"}}"#,
         "config.json: root.readonly: expected a boolean, found a string"),
        (#"{"ociVersion":"1.1.0","mounts":{"destination":"/x"}}"#, "config.json: mounts: expected an array, found an object"),
        (#"{"ociVersion":"1.1.0","mounts":[{"destination":"/x"},{"type":"tmpfs"}]}"#,
         "config.json: mounts[1].destination: is required"),
        (#"{"ociVersion":"1.1.0","linux":{"resources":{"memory":{"swappiness":-1}}}}"#,
         "config.json: linux.resources.memory.swappiness: expected an integer from 0 to 18446744073709551615, found the number -1"),
        (#"{"ociVersion":"1.1.0","linux":{"resources":{"memory":{"limit":9223372036854775808}}}}"#,
         "config.json: linux.resources.memory.limit: expected an integer from -9223372036854775808 to 9223372036854775807, found the number 9223372036854775808"),
        (#"{"ociVersion":"1.1.0","linux":{"uidMappings":[{"containerID":0,"hostID":4294967296,"size":1}]}}"#,
         "config.json: linux.uidMappings[0].hostID: expected an integer from 0 to 4294967295, found the number 4294967296"),
        (#"{"ociVersion":"1.1.0","linux":{"resources":{"pids":{"limit":1.5}}}}"#,
         "config.json: linux.resources.pids.limit: expected an integer from -9223372036854775808 to 9223372036854775807, found the number 1.5"),
        (#"{"ociVersion":"1.1.0","linux":{"sysctl":{"net.ipv4.ip_forward":1}}}"#,
         #"config.json: linux.sysctl["net.ipv4.ip_forward"]: expected a string, found the number 1"#),
        (#"{"ociVersion":"1.1.0","linux":{"rdma":null,"resources":{"rdma":{"mlx":{"hcaHandles":"x"}}}}}"#,
         "config.json: linux.resources.rdma.mlx.hcaHandles: expected an integer from 0 to 4294967295, found a string"),
        (#"{"ociVersion":"1.1.0","linux":{"namespaces":[{"type":"pid"},null]}}"#,
         "config.json: linux.namespaces[1]: must not be null"),
        (#"{"ociVersion":"1.1.0","linux":{"seccomp":{"syscalls":[]}}}"#, "config.json: linux.seccomp.defaultAction: is required"),
        (#"[]"#, "config.json: expected an object, found an array"),
    ])
    func namesTheField(text: String, expected: String) {
        #expect(failure(text) == expected)
    }

    @Test func invalidJSONNamesLineAndColumn() {
        #expect(failure("{\n  \"ociVersion\": \"1.1.0\",\n  \"process\": {,}\n}")
            == "config.json:3:15: invalid JSON: unexpected ',', expected a member name in quotes")
        #expect(failure("") == "config.json:1:1: invalid JSON: the document is empty")
        #expect(failure(#"{"ociVersion":"1.1.0"} x"#) == "config.json:1:24: invalid JSON: unexpected 'x' after the document")
    }

    @Test func processFilesNameTheirFile() throws {
        #expect(throws: StackError.self) { try SpecLoader.decodeProcess(data: Array(#"{"args":[]}"#.utf8)) }
        do {
            _ = try SpecLoader.decodeProcess(data: Array(#"{"cwd":"/","user":{"uid":-1}}"#.utf8))
            Issue.record("decoded a negative uid")
        } catch {
            #expect(error.description == "process.json: user.uid: expected an integer from 0 to 4294967295, found the number -1")
        }
    }

    @Test func errorsFromEnumDecodingCarryTheirPath() {
        do {
            _ = try JSONValueDecoder(file: "state.json").decode(
                State.self, from: Array(#"{"ociVersion":"1","id":"a","status":"sleeping","bundle":"/b"}"#.utf8))
            Issue.record("decoded an unknown status")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.path == "status")
            #expect(error.description
                == #"state.json: status: unknown status "sleeping" (expected one of creating, created, running, stopped, paused)"#)
        }
    }
}
