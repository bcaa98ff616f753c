package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAndUrlDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Contact «john.doe@example.com» today.",
        "<«jane+tag@mail.example.co.uk»>",
        "(«a_b-c.d@sub-domain.example.org»), then",
        "emails: «x@y.io»,«first.last@xn--bcher-kva.example»",
        "mailto:«support@company.com»?subject=hi",
    })
    void findsEmailAddresses(String marked) {
        Cases.assertFinds(PiiEntity.EMAIL, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "@username mentioned",
        "user@localhost has no domain",
        "npm install pkg@1.2.3",
        "retina icon@2x.png asset",
        "double dot john..doe@example.com",
        "tld too short a@b.c",
        "trailing dot john.@example.com",
        "label starts with hyphen x@-example.com",
    })
    void ignoresThingsThatOnlyLookLikeAddresses(String text) {
        Cases.assertNothing(PiiEntity.EMAIL, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "See «https://example.com/path?q=1#frag».",
        "docs («http://docs.example.org/a_(b)») here",
        "go to «www.example.com», then",
        "«https://user:pw@host.example:8443/x»",
        "local «http://localhost:8080/api» server",
        "\"«https://example.com/a»\"",
    })
    void findsWebAddresses(String marked) {
        Cases.assertFinds(PiiEntity.URL, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "the http protocol",
        "https:// alone",
        "www. alone",
        "xhttp://glued.example",
        "file:///etc/passwd",
        "example.com without a scheme",
    })
    void ignoresTextWithoutAWebAddress(String text) {
        Cases.assertNothing(PiiEntity.URL, text);
    }
}
