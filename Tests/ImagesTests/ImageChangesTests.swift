import Images
import StackCore
import Testing

@Suite struct ImageChangesTests {
    @Test func appliesDockerfileStyleChanges() throws {
        var config = ImageConfig.ContainerConfig()
        try ImageChanges.apply(
            [
                "CMD [\"/bin/sh\", \"-c\", \"echo hi\"]",
                "ENTRYPOINT /docker-entrypoint.sh --flag",
                "ENV A=1 B=\"two words\" C=x\\ y",
                "ENV D some value",
                "ENV A=replaced",
                "WORKDIR /app",
                "WORKDIR sub",
                "USER 1000:1000",
                "LABEL org.example.name=\"my app\" version=1",
                "EXPOSE 80 53/UDP",
                "VOLUME [\"/data\"]",
                "VOLUME /cache /logs",
                "STOPSIGNAL SIGTERM",
                "cmd [\"sh\"]",
            ], to: &config)
        #expect(config.cmd == ["sh"])
        #expect(config.entrypoint == ["/bin/sh", "-c", "/docker-entrypoint.sh --flag"])
        #expect(config.env == ["B=two words", "C=x y", "D=some value", "A=replaced"])
        #expect(config.workingDir == "/app/sub")
        #expect(config.user == "1000:1000")
        #expect(config.labels == ["org.example.name": "my app", "version": "1"])
        #expect(config.exposedPorts.map { $0.keys.sorted() } == ["53/udp", "80/tcp"])
        #expect(config.volumes.map { $0.keys.sorted() } == ["/cache", "/data", "/logs"])
        #expect(config.stopSignal == "SIGTERM")
    }

    @Test(arguments: ["RUN make", "", "ENV", "LABEL novalue", "ENV A=\"open", "WORKDIR", "FROM x"])
    func rejects(change: String) {
        var config = ImageConfig.ContainerConfig()
        #expect(throws: StackError.self, "\(change)") { try ImageChanges.apply([change], to: &config) }
    }
}
