package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NetworkDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "server at «192.168.1.10».",
        "from «10.0.0.1»:8080 and «255.255.255.255»",
        "subnet «10.0.0.0/8»",
        "IPv6 «2001:db8:85a3:0:0:8a2e:370:7334» is long",
        "compressed «2001:db8::1» and «fe80::1ff:fe23:4567:890a»",
        "mapped «::ffff:192.168.1.1» address",
        "[«2001:db8::8a2e:370:7334»]:443",
        "upper case «FE80::ABCD:1»",
    })
    void findsIpv4AndIpv6Addresses(String marked) {
        Cases.assertFinds(PiiEntity.IP_ADDRESS, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "version 1.2.3.4.5 released",
        "v1.2.3.4 is a tag",
        "octet too big 256.1.1.1 and 1.2.3.999",
        "leading zeros 01.02.03.04",
        "three parts 10.0.1",
        "time 10:30:00 today",
        "MAC 00:1A:2B:3C:4D:5E",
        "C++ std::vector and Foo::bar",
        "loopback shorthand :: alone",
        "too many groups 1:2:3:4:5:6:7:8:9",
        "two compressions 2001::db8::1",
        "uuid 123e4567-e89b-12d3-a456-426614174000",
    })
    void ignoresVersionsTimesAndOtherColonedText(String text) {
        Cases.assertNothing(PiiEntity.IP_ADDRESS, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "MAC «00:1A:2B:3C:4D:5E».",
        "hyphens «00-1a-2b-3c-4d-5e» work",
        "Cisco «0011.2233.4455» style",
    })
    void findsMacAddresses(String marked) {
        Cases.assertFinds(PiiEntity.MAC_ADDRESS, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "mixed separators 00:1A-2B:3C:4D:5E",
        "seven pairs 00:1A:2B:3C:4D:5E:6F",
        "five pairs 00:1A:2B:3C:4D",
        "not hex 00:1G:2B:3C:4D:5E",
        "time 10:30:45",
        "IPv6 2001:db8::1",
    })
    void ignoresMacLookAlikes(String text) {
        Cases.assertNothing(PiiEntity.MAC_ADDRESS, text);
    }
}
