/// Which IP addresses a fetch may connect to.
public enum AddressPolicy: Sendable {
    /// Any address, including loopback and private networks.
    case any
    /// Only publicly routable unicast addresses.
    ///
    /// Loopback, private, shared (CGNAT), link-local, unique-local, documentation, unspecified, multicast and
    /// reserved addresses are refused, for IPv4, IPv6 and IPv4 embedded in IPv6. The check runs each time a
    /// socket is opened, so it covers every DNS answer and every redirect.
    case publicOnly
}
