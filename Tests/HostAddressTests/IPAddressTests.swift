import Glibc
import HostAddress
import Testing

/// How a host is read as an address: as the resolver reads a URL's host, and as a literal.
@Suite struct IPAddressTests {
    @Test(
        arguments: [
            ("127.0.0.1", [127, 0, 0, 1]),
            ("127.1", [127, 0, 0, 1]),
            ("127.1.2", [127, 1, 0, 2]),
            ("2130706433", [127, 0, 0, 1]),
            ("0x7f.0.0.1", [127, 0, 0, 1]),
            ("0X7F.1", [127, 0, 0, 1]),
            ("0177.0.0.1", [127, 0, 0, 1]),
            ("0127.0.0.1", [87, 0, 0, 1]),
            ("127.0.0.010", [127, 0, 0, 8]),
            ("0x7f000001", [127, 0, 0, 1]),
            ("192.0.2.1", [192, 0, 2, 1]),
        ] as [(String, [UInt8])]
    )
    func resolverReadsEveryInetAtonForm(host: String, bytes: [UInt8]) {
        #expect(IPAddress(resolving: host)?.bytes == bytes)
    }

    @Test(arguments: [
        "127.0.0.1.", "127..0.1", ".127.0.0.1", "127.0.0.256", "256.0.0.1", "127.0.65536", "08.0.0.1",
        "0x", "0x1g", "4294967296", "127.0.0.1 ", " 127.0.0.1", "+127.0.0.1", "127.0.0.1.nip.io", "localhost",
    ])
    func resolverTreatsOtherTextAsAName(host: String) {
        #expect(IPAddress(resolving: host) == nil)
    }

    /// glibc's own `inet_aton` is the reference: every IPv4 spelling reads to the same bytes,
    /// or is refused by both.
    @Test(arguments: [
        "127.0.0.1", "127.1", "0x7f.1", "0177.0.0.1", "0127.0.0.1", "2130706433", "127.0.0.010", "1.2.3",
        "0xffffffff", "255.255.65535", "127.0.0.256", "08.1", "0x", "127.", "1..2", "4294967296", "0x1.0x2.0x3.0x4",
    ])
    func resolverAgreesWithGlibcInetAton(host: String) {
        var address = in_addr()
        let glibc = inet_aton(host, &address) == 1 ? withUnsafeBytes(of: &address) { Array($0) } : nil
        #expect(IPAddress(resolving: host)?.bytes == glibc)
    }

    @Test(arguments: ["::1", "[::1]", "0:0:0:0:0:0:0:1", "[0:0:0:0:0:0:0:1]", "0000:0000:0000:0000:0000:0000:0000:0001", "::0:1", "::1%lo"])
    func everySpellingOfIPv6LoopbackIsOneAddress(host: String) {
        #expect(IPAddress(resolving: host)?.bytes == Array(repeating: 0, count: 15) + [1])
    }

    @Test func literalFormRefusesAbbreviatedIPv4() {
        #expect(IPAddress("127.1") == nil)
        #expect(IPAddress("0x7f.0.0.1") == nil)
        #expect(IPAddress("10.1.2.3")?.bytes == [10, 1, 2, 3])
        #expect(IPAddress("fd00::1")?.bytes.first == 0xFD)
    }

    @Test func unpairedBracketsAreNotAnAddress() {
        #expect(IPAddress(resolving: "[::1") == nil)
        #expect(IPAddress(resolving: "::1]") == nil)
    }

    @Test(
        arguments: [
            ("10.1.2.3", "10.0.0.0", 8, true),
            ("11.1.2.3", "10.0.0.0", 8, false),
            ("192.168.1.77", "192.168.1.64", 26, true),
            ("192.168.1.130", "192.168.1.64", 26, false),
            ("fd00::5", "fd00::", 8, true),
            ("10.1.2.3", "fd00::", 8, false),
        ] as [(String, String, Int, Bool)]
    )
    func networkPrefixComparesLeadingBits(address: String, network: String, length: Int, inside: Bool) throws {
        let address = try #require(IPAddress(address))
        let network = try #require(IPAddress(network))
        #expect(address.hasPrefix(network, length: length) == inside)
    }
}
