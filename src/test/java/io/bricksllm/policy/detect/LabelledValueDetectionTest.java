package io.bricksllm.policy.detect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelledValueDetectionTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "password: «hunter2»",
        "my password is «S3cr3t!».",
        "db_password=«p@ss;word»",
        "Passcode: «open-sesame», then log in",
        "{\"password\": \"«correct horse battery»\"}",
        "pwd = '«xyz123»'",
        "PASSWORD:«Tr0ub4dor&3»",
    })
    void findsPasswordsAfterALabel(String marked) {
        Cases.assertFinds(PiiEntity.PASSWORD, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "The password is required.",
        "reset your password to continue",
        "password: <your password here>",
        "password=${DB_PASSWORD}",
        "Password: ********",
        "passwords are stored hashed",
        "password:\nnext line is not the value",
    })
    void ignoresProseAndPlaceholdersAfterPasswordWords(String text) {
        Cases.assertNothing(PiiEntity.PASSWORD, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "PIN: «4921»",
        "my pin is «004821».",
        "ATM PIN «1234», card blocked",
        "PIN number «87654321»",
    })
    void findsPinsAfterALabel(String marked) {
        Cases.assertFinds(PiiEntity.PIN, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "pin the tab to 1234",
        "PIN 123 is too short",
        "PIN 123456789 is too long",
        "pin code 560001 is a postal code",
        "spinning 1234",
    })
    void ignoresNumbersThatAreNotPins(String text) {
        Cases.assertNothing(PiiEntity.PIN, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "username: «jdoe»",
        "Login: «admin_01» password: x",
        "user id = «u12345»",
        "{\"username\":\"«alice.smith»\"}",
    })
    void findsUserNamesAfterALabel(String marked) {
        Cases.assertFinds(PiiEntity.USERNAME, marked);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Username is required",
        "enter your username below",
        "login to continue",
    })
    void ignoresProseAfterUserNameWords(String text) {
        Cases.assertNothing(PiiEntity.USERNAME, text);
    }
}
