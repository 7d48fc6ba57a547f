import Testing
@testable import StackFile

@Suite struct ShellWordsTests {
    static let cases: [(line: String, words: [String])] = [
        ("bundle exec thin -p 3000", ["bundle", "exec", "thin", "-p", "3000"]),
        ("  spaced\t\tout \n", ["spaced", "out"]),
        (#"echo "hello world""#, ["echo", "hello world"]),
        ("echo 'it''s'", ["echo", "its"]),
        (#"echo 'a\b'"#, ["echo", #"a\b"#]),
        (#"echo a\ b"#, ["echo", "a b"]),
        (#"echo "a\"b""#, ["echo", #"a"b"#]),
        (#"echo "" ''"#, ["echo", "", ""]),
        ("sh -c 'echo $HOME && ls'", ["sh", "-c", "echo $HOME && ls"]),
        ("echo $(date +%s) `id -u`", ["echo", "$(date +%s)", "`id -u`"]),
        ("echo a && echo b", ["echo", "a"]),
        ("run > out.log", ["run"]),
        ("run 2>/dev/null", ["run"]),
        ("a;b", ["a"]),
        ("", []),
        ("naïve 'ünï code'", ["naïve", "ünï code"]),
    ]

    @Test(arguments: cases)
    func splitsLikeCompose(line: String, words: [String]) throws {
        #expect(try ShellWords.split(line) == words)
    }

    @Test(arguments: [#"echo "open"#, "echo 'open", #"trailing\"#, "echo (sub)", "echo $(open"])
    func rejectsUnbalancedInput(line: String) {
        #expect(throws: ShellWords.SyntaxError.self) { try ShellWords.split(line) }
    }
}
