import Testing

@testable import HeraldFetch

@Suite struct IPAddressTests {
    @Test(arguments: [
        "0.0.0.0", "10.1.2.3", "100.64.0.1", "127.0.0.1", "127.255.255.254", "169.254.169.254", "172.16.0.1",
        "172.31.255.255", "192.0.2.10", "192.168.1.1", "198.18.0.1", "224.0.0.1", "255.255.255.255", "240.0.0.1",
    ])
    func nonPublicIPv4(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isPublic)
    }

    @Test(arguments: ["1.1.1.1", "8.8.8.8", "93.184.216.34", "172.15.255.255", "172.32.0.1", "100.128.0.1", "11.0.0.1"])
    func publicIPv4(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isPublic)
    }

    @Test(arguments: [
        "::", "::1", "fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "::ffff:7f00:1", "64:ff9b::192.168.0.1", "2002:c0a8:0101::1", "::127.0.0.1", "fec0::1",
    ])
    func nonPublicIPv6(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!address.isPublic)
    }

    @Test(arguments: [
        "2606:4700:4700::1111", "2a00:1450:4001:82a::200e", "::ffff:8.8.8.8", "64:ff9b::8.8.8.8",
        "2002:0808:0808::1",
    ])
    func publicIPv6(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.isPublic)
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "::1::", "1:2:3:4:5:6:7:8:9", "gggg::1", "12345::",
    ])
    func invalidText(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func parsesIPv6Forms() throws {
        let full = try #require(IPAddress("2001:db8:0:0:0:0:0:1"))
        let short = try #require(IPAddress("2001:db8::1"))
        #expect(full == short)
        let mapped = try #require(IPAddress("::ffff:1.2.3.4"))
        #expect(mapped == IPAddress(v6: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]))
        #expect(IPAddress("[fe80::1%eth0]") == IPAddress("fe80::1"))
        #expect(IPAddress(v4: 127, 0, 0, 1).description == "127.0.0.1")
    }
}
