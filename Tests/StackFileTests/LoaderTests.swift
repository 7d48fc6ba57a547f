import Testing
import StackCore
@testable import StackFile

@Suite struct LoaderDiscoveryTests {
    @Test func discoveryWalksUpAndAddsTheOverride() throws {
        let stack = try loadStack(
            [
                "/p/compose.yaml": "services:\n  web:\n    image: a\n",
                "/p/compose.override.yaml": "services:\n  web:\n    image: b\n",
                "/p/sub/dir/readme.txt": "",
            ], cwd: "/p/sub/dir")
        #expect(stack.files == ["/p/compose.yaml", "/p/compose.override.yaml"])
        #expect(stack.canonical["services"]?["web"]?["image"]?.string == "b")
        #expect(stack.project.name == "p")
    }

    @Test func noFileIsAClearError() {
        let error = stackError { try loadStack(["/q/x.txt": ""], cwd: "/q") }
        #expect(error?.message.contains("no stack file found") == true)
    }

    @Test func missingDashFFileIsAUsageError() {
        let error = stackError { try loadStack(["/p/compose.yaml": "services: {}"], f: ["nope.yaml"]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.exitStatus == 2)
    }

    @Test func multipleDocumentsMergeInOrder() throws {
        let stack = try loadStack(
            ["/p/compose.yaml": "name: docs\nservices:\n  t:\n    image: one\n---\nservices:\n  t:\n    image: two\n"])
        #expect(stack.canonical["services"]?["t"]?["image"]?.string == "two")
        #expect(stack.project.name == "docs")
    }
}

@Suite struct ProjectNamingTests {
    let files = [
        "/work/My Project!/compose.yaml": "services:\n  web:\n    image: a\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n"
    ]

    @Test func directoryNameIsNormalized() throws {
        let stack = try loadStack(files, cwd: "/work/My Project!")
        #expect(stack.project.name == "myproject")
        #expect(stack.canonical["services"]?["web"]?["container_name"]?.string == "myproject-web")
    }

    @Test func precedence() throws {
        var f = files
        f["/work/My Project!/compose.yaml"] = "name: fromfile\n" + (files.values.first ?? "")
        f["/work/My Project!/.env"] = "COMPOSE_PROJECT_NAME=fromdotenv\n"
        let cwd = "/work/My Project!"
        #expect(try loadStack(f, cwd: cwd, env: ["COMPOSE_PROJECT_NAME": "fromshell"], projectName: "flag").project.name == "flag")
        #expect(try loadStack(f, cwd: cwd, env: ["COMPOSE_PROJECT_NAME": "fromshell"]).project.name == "fromshell")
        #expect(try loadStack(f, cwd: cwd).project.name == "fromdotenv")
        f["/work/My Project!/.env"] = nil
        let fromFile = try loadStack(f, cwd: cwd)
        #expect(fromFile.project.name == "fromfile")
        #expect(fromFile.canonical["services"]?["web"]?["container_name"]?.string == "fromfile-web")
    }

    @Test(arguments: ["-my_project", "_x", "www.my.project", "MY_PROJECT", ""])
    func invalidExplicitNamesAreRejected(name: String) {
        let error = stackError { try loadStack(files, cwd: "/work/My Project!", projectName: name) }
        #expect(error?.code == .invalidStackFile)
    }

    @Test func lastNameWinsAndIsVisibleToEarlierFiles() throws {
        let stack = try loadStack(
            [
                "/p/a.yaml": "name: first\nservices:\n  web:\n    image: w\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n",
                "/p/b.yaml": "name: second\nservices:\n  db:\n    image: d\n",
            ], f: ["a.yaml", "b.yaml"])
        #expect(stack.project.name == "second")
        #expect(stack.canonical["services"]?["web"]?["container_name"]?.string == "second-web")
    }
}

@Suite struct VariableTests {
    @Test func shellWinsOverDotEnvAndDotEnvSeesTheShell() throws {
        let files = [
            "/p/.env": "FOO=foo\nBAR=${FOO}\n",
            "/p/compose.yaml": "services:\n  web:\n    image: ${FOO}\n    environment:\n      BAR: ${BAR}\n",
        ]
        let plain = try loadStack(files)
        #expect(plain.canonical["services"]?["web"]?["image"]?.string == "foo")
        #expect(plain.canonical["services"]?["web"]?["environment"]?["BAR"]?.string == "foo")
        let shell = try loadStack(files, env: ["FOO": "zot"])
        #expect(shell.canonical["services"]?["web"]?["image"]?.string == "zot")
        #expect(shell.canonical["services"]?["web"]?["environment"]?["BAR"]?.string == "zot")
    }

    @Test func envFileFlagReplacesDotEnv() throws {
        let stack = try loadStack(
            [
                "/p/.env": "TAG=dotenv\n", "/p/other.env": "TAG=other\n",
                "/p/compose.yaml": "services:\n  web:\n    image: x:${TAG}\n",
            ], envFiles: ["other.env"])
        #expect(stack.canonical["services"]?["web"]?["image"]?.string == "x:other")
    }

    @Test func requiredVariableErrorNamesThePosition() {
        let error = stackError {
            try loadStack(["/p/compose.yaml": "services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n"])
        }
        #expect(error?.mark?.line == 3)
        #expect(error?.description.contains("set IMAGE") == true)
    }

    @Test func serviceEnvFileMergesUnderEnvironment() throws {
        let stack = try loadStack([
            "/p/app.env": "A=from-file\nB=from-file\n",
            "/p/compose.yaml": "services:\n  web:\n    image: x\n    env_file: app.env\n    environment:\n      B: explicit\n      C:\n",
        ], env: ["C": "shell"])
        let env = try #require(stack.canonical["services"]?["web"]?["environment"])
        #expect(env["A"]?.string == "from-file")
        #expect(env["B"]?.string == "explicit")
        #expect(env["C"]?.string == "shell")
        #expect(stack.canonical["services"]?["web"]?["env_file"]?.items?.first?["path"]?.string == "/p/app.env")
    }

    @Test func missingRequiredEnvFileIsAnError() {
        let error = stackError {
            try loadStack(["/p/compose.yaml": "services:\n  web:\n    image: x\n    env_file: missing.env\n"])
        }
        #expect(error?.message.contains("missing.env") == true)
    }
}
