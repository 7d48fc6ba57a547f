@testable import APIServer
import Testing

@Suite("Router")
struct RouterTests {
    @Test func versionPrefixIsStripped() {
        #expect(Router.stripVersion("/v1.43/containers/json") == "/containers/json")
        #expect(Router.stripVersion("/v1/x") == "/x")
        #expect(Router.stripVersion("/v1.43") == "/")
        #expect(Router.stripVersion("/volumes/x") == "/volumes/x")
        #expect(Router.stripVersion("/vx/y") == "/vx/y")
    }

    @Test func queryAndPathDecoding() {
        #expect(RequestTarget.path(of: "/containers/a%20b/json?x=1") == "/containers/a b/json")
        #expect(RequestTarget.query(of: "/x?filters=%7B%22a%22%7D&all=1&all=&flag&sp=a+b") == [
            QueryItem("filters", "{\"a\"}"), QueryItem("all", "1"), QueryItem("all", ""), QueryItem("flag", ""), QueryItem("sp", "a b"),
        ])
    }

    @Test func routesMatchByMethodAndPattern() async {
        let router = Router()
        router.get("/containers/{id}/json") { request in .text(.ok, "inspect \(request.pathParameters["id"] ?? "")") }
        router.get("/containers/json") { _ in .text(.ok, "list") }
        let list = await router.respond(to: APIRequest(method: "GET", path: "/containers/json"))
        #expect(list.status == .ok)
        if case .bytes(let bytes) = list.body { #expect(String(decoding: bytes, as: UTF8.self) == "list") }
        let inspect = await router.respond(to: APIRequest(method: "GET", path: "/v1.41/containers/abc/json"))
        if case .bytes(let bytes) = inspect.body { #expect(String(decoding: bytes, as: UTF8.self) == "inspect abc") }
        #expect(await router.respond(to: APIRequest(method: "DELETE", path: "/containers/abc/json")).status == .methodNotAllowed)
        #expect(await router.respond(to: APIRequest(method: "GET", path: "/containers/abc/json/x")).status == .notFound)
        #expect(await router.respond(to: APIRequest(method: "HEAD", path: "/containers/json")).status == .ok)
    }
}
