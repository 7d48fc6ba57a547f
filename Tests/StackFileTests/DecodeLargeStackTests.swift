import StackCore
import StackModel
import Testing

import StackFile

@Suite struct DecodeLargeStackTests {
    /// A canonical tree of `count` services with the usual long-syntax fields.
    func bigStack(_ count: Int) -> String {
        var text = "services:\n"
        for index in 0..<count {
            text += """
                  svc\(index):
                    image: registry.example.com/app/svc\(index):1.0
                    command: [run, --port, "80\(index % 10)"]
                    environment:
                      INDEX: "\(index)"
                      MODE: production
                      EMPTY: null
                    ports:
                      - target: 80
                        published: "\(10000 + index)"
                        protocol: tcp
                        mode: ingress
                    volumes:
                      - type: volume
                        source: data
                        target: /data
                        volume: {}
                      - type: bind
                        source: /srv/svc\(index)
                        target: /srv
                        bind:
                          create_host_path: true
                    networks:
                      default: null
                    depends_on:
                      svc\(max(index - 1, 0)):
                        condition: service_started
                        required: true
                    healthcheck:
                      test: [CMD, /bin/true]
                      interval: 10s
                      retries: 3
                    restart: unless-stopped
                    labels:
                      team: core
                    mem_limit: 268435456

                """
        }
        text += "networks:\n  default:\n    name: p_default\nvolumes:\n  data: {}\n"
        return text
    }

    /// A large canonical stack decodes completely (speed is measured by bench/, not here).
    @Test func decodesTwoHundredServices() throws {
        let root = try #require(try YAMLParser().parse(bigStack(200), file: "big.yaml").first)
        let project = try ProjectDecoder.decode(root, name: "p", workingDirectory: "/w")
        #expect(project.services.count == 200)
        #expect(project.service(named: "svc42")?.ports.first?.published == PortRange(10042))
        #expect(project.service(named: "svc42")?.dependsOn["svc41"] != nil)
    }
}
