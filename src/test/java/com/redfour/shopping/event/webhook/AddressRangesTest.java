package com.redfour.shopping.event.webhook;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** Every range the SSRF guard refuses, at its edges, and public addresses just outside them. */
class AddressRangesTest {

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal); // a literal: no DNS
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0|unspecified (0.0.0.0/8)",
            "0.255.255.255|unspecified (0.0.0.0/8)",
            "127.0.0.1|loopback (127.0.0.0/8)",
            "127.255.255.254|loopback (127.0.0.0/8)",
            "10.0.0.0|private (10.0.0.0/8)",
            "10.255.255.255|private (10.0.0.0/8)",
            "172.16.0.0|private (172.16.0.0/12)",
            "172.31.255.255|private (172.16.0.0/12)",
            "192.168.0.1|private (192.168.0.0/16)",
            "192.168.255.255|private (192.168.0.0/16)",
            "169.254.0.1|link-local (169.254.0.0/16)",
            "169.254.169.254|link-local (169.254.0.0/16)",
            "100.64.0.0|shared address space (100.64.0.0/10)",
            "100.127.255.255|shared address space (100.64.0.0/10)",
            "192.0.0.8|IETF protocol assignments (192.0.0.0/24)",
            "198.18.0.1|benchmarking (198.18.0.0/15)",
            "198.19.255.255|benchmarking (198.18.0.0/15)",
            "224.0.0.1|multicast (224.0.0.0/4)",
            "239.255.255.250|multicast (224.0.0.0/4)",
            "240.0.0.1|reserved (240.0.0.0/4)",
            "255.255.255.255|reserved (240.0.0.0/4)",
            "::|unspecified (::)",
            "::1|loopback (::1)",
            "fc00::1|unique-local (fc00::/7)",
            "fd12:3456:789a::1|unique-local (fc00::/7)",
            "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|unique-local (fc00::/7)",
            "fe80::1|link-local (fe80::/10)",
            "febf:ffff::1|link-local (fe80::/10)",
            "fec0::1|site-local (fec0::/10)",
            "ff02::1|multicast (ff00::/8)",
            "::127.0.0.1|IPv4-compatible loopback (127.0.0.0/8)",
            "::10.1.2.3|IPv4-compatible private (10.0.0.0/8)",
            "64:ff9b::169.254.169.254|NAT64 link-local (169.254.0.0/16)",
            "64:ff9b::10.0.0.1|NAT64 private (10.0.0.0/8)"})
    void refused(String address, String why) throws UnknownHostException {
        assertThat(AddressRanges.refusal(ip(address))).contains(why);
    }

    /** The JDK reads ::ffff:a.b.c.d as the IPv4 address itself; either way the v4 range decides. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "::ffff:127.0.0.1|loopback (127.0.0.0/8)",
            "::ffff:10.0.0.1|private (10.0.0.0/8)",
            "::ffff:192.168.1.1|private (192.168.0.0/16)",
            "::ffff:169.254.169.254|link-local (169.254.0.0/16)",
            "::ffff:100.64.1.1|shared address space (100.64.0.0/10)",
            "::ffff:0.0.0.0|unspecified (0.0.0.0/8)"})
    void ipv4MappedAddressesAreJudgedByTheirIpv4(String address, String why) throws UnknownHostException {
        assertThat(AddressRanges.refusal(ip(address)).orElseThrow()).endsWith(why);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"::ffff:127.0.0.1|IPv4-mapped loopback (127.0.0.0/8)",
            "::ffff:172.16.5.4|IPv4-mapped private (172.16.0.0/12)"})
    void ipv4MappedBytesInAnIpv6AddressAreJudgedToo(String address, String why) throws UnknownHostException {
        byte[] v4 = ip(address).getAddress();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(v4, 0, mapped, 12, 4);
        assertThat(AddressRanges.refusal(java.net.Inet6Address.getByAddress(null, mapped, null))).contains(why);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "126.255.255.255", "128.0.0.0",
            "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0", "169.253.255.255", "169.255.0.0",
            "100.63.255.255", "100.128.0.0", "192.0.1.1", "198.17.255.255", "198.20.0.0", "223.255.255.255",
            "203.0.113.9", "2001:4860:4860::8888", "2606:4700::1111", "2a00:1450:4001::1", "fb00::1", "fe00::1",
            "::ffff:8.8.8.8", "::2:1:1:1", "64:ff9b::8.8.8.8", "64:ff9b:1::10.0.0.1"})
    void publicAddressesAreAllowed(String address) throws UnknownHostException {
        assertThat(AddressRanges.refusal(ip(address))).isEmpty();
    }
}
