using System.Net;
using System.Net.Sockets;

namespace InferenceServer.Security;

/// <summary>Whether an address is on the public internet (not loopback, private, link-local, shared, reserved or multicast).</summary>
public static class PublicAddress
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address),
            _ => false,
        };
    }

    private static bool IsPublicV4(byte[] b) => !(
        b[0] is 0 or 10 or 127 or >= 224                      // this network, private, loopback, multicast and reserved
        || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)         // shared address space (carrier NAT)
        || (b[0] == 169 && b[1] == 254)                        // link-local, cloud metadata (169.254.169.254)
        || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)           // private
        || (b[0] == 192 && b[1] == 168)                        // private
        || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)        // IETF protocol assignments, documentation
        || (b[0] == 198 && b[1] is 18 or 19)                   // benchmarking
        || (b[0] == 198 && b[1] == 51 && b[2] == 100)          // documentation
        || (b[0] == 203 && b[1] == 0 && b[2] == 113));         // documentation

    private static bool IsPublicV6(IPAddress address)
    {
        if (IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6Any.Equals(address)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal || address.IsIPv6Teredo)
        {
            return false;
        }

        var b = address.GetAddressBytes();
        var nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b;  // 64:ff9b::/96 embeds an IPv4 address
        var sixToFour = b[0] == 0x20 && b[1] == 0x02;                               // 2002::/16 embeds an IPv4 address
        var documentation = b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8;
        var compatible = b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;            // ::a.b.c.d (deprecated)
        return !(nat64 || sixToFour || documentation || compatible);
    }
}
