import HostAddress
import Testing

/// Which hosts are this machine, and so may be sent credentials over plain `http://`.
@Suite struct LoopbackHostTests {
    @Test(arguments: [
        "localhost", "LOCALHOST", "localhost.",
        "127.0.0.1", "127.255.255.254", "127.1", "127.0.1", "0x7f.0.0.1", "0177.0.0.1", "2130706433", "0x7f000001",
        "::1", "[::1]", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]", "0000:0000:0000:0000:0000:0000:0000:0001", "[::0:1]",
        "::ffff:127.0.0.1", "[::ffff:7f00:1]", "::1%lo",
    ])
    func everySpellingOfLoopbackIsLoopback(host: String) {
        #expect(LoopbackHost.contains(host))
    }

    @Test(arguments: [
        "0127.0.0.1",  // octal: 87.0.0.1
        "128.0.0.1", "126.255.255.255", "0.0.0.0", "::", "::2", "::127.0.0.1", "::ffff:10.0.0.1",
        "127.0.0.1.", "127.0.0.1.nip.io", "localhost.localdomain", "app.localhost", "192.168.0.10", "cce.example.com", "",
        "[::1", "127.0.0.1 ",
    ])
    func everyOtherHostIsNot(host: String) {
        #expect(!LoopbackHost.contains(host))
    }
}
