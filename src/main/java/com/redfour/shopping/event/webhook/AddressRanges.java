package com.redfour.shopping.event.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * Which IP addresses a webhook may not be sent to, and why: anything that reaches this host, its
 * private networks or the cloud's metadata service rather than the public internet (SSRF).
 */
public final class AddressRanges {

    private AddressRanges() {
    }

    /** Why {@code address} is refused as a webhook destination, or empty if it is a public address. */
    public static Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4(bytes);
        }
        if (address instanceof Inet6Address) {
            return ipv6(bytes);
        }
        return Optional.of("not an IP address");
    }

    private static Optional<String> ipv4(byte[] a) {
        int first = a[0] & 0xff;
        int second = a[1] & 0xff;
        if (first == 0) {
            return Optional.of("unspecified (0.0.0.0/8)");
        }
        if (first == 127) {
            return Optional.of("loopback (127.0.0.0/8)");
        }
        if (first == 10) {
            return Optional.of("private (10.0.0.0/8)");
        }
        if (first == 172 && (second & 0xf0) == 16) {
            return Optional.of("private (172.16.0.0/12)");
        }
        if (first == 192 && second == 168) {
            return Optional.of("private (192.168.0.0/16)");
        }
        if (first == 169 && second == 254) {
            return Optional.of("link-local (169.254.0.0/16)");
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return Optional.of("shared address space (100.64.0.0/10)");
        }
        if (first == 192 && second == 0 && (a[2] & 0xff) == 0) {
            return Optional.of("IETF protocol assignments (192.0.0.0/24)");
        }
        if (first == 198 && (second & 0xfe) == 18) {
            return Optional.of("benchmarking (198.18.0.0/15)");
        }
        if (first >= 224 && first <= 239) {
            return Optional.of("multicast (224.0.0.0/4)");
        }
        if (first >= 240) {
            return Optional.of("reserved (240.0.0.0/4)");
        }
        return Optional.empty();
    }

    private static Optional<String> ipv6(byte[] a) {
        if (allZero(a, 0, 16)) {
            return Optional.of("unspecified (::)");
        }
        if (allZero(a, 0, 15) && a[15] == 1) {
            return Optional.of("loopback (::1)");
        }
        // IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d and NAT64 64:ff9b::a.b.c.d reach the
        // IPv4 address they carry: judge that one.
        if (allZero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            return embedded(a, "IPv4-mapped");
        }
        if (allZero(a, 0, 12)) {
            return embedded(a, "IPv4-compatible");
        }
        if ((a[0] & 0xff) == 0x00 && (a[1] & 0xff) == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b
                && allZero(a, 4, 12)) {
            return embedded(a, "NAT64");
        }
        int first = a[0] & 0xff;
        int second = a[1] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return Optional.of("unique-local (fc00::/7)");
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return Optional.of("link-local (fe80::/10)");
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return Optional.of("site-local (fec0::/10)");
        }
        if (first == 0xff) {
            return Optional.of("multicast (ff00::/8)");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(byte[] a, String form) {
        return ipv4(Arrays.copyOfRange(a, 12, 16)).map(why -> form + " " + why);
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
