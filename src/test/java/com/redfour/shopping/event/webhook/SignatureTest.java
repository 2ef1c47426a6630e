package com.redfour.shopping.event.webhook;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Standard Webhooks signatures, checked against values computed here independently. */
class SignatureTest {

    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "00000000000000001234";
    private static final long TIMESTAMP = 1_795_000_000L;
    private static final String BODY = "{\"id\":\"00000000000000001234\",\"type\":\"item.selected\",\"store\":\"demo\"}";

    @Test
    void signsIdTimestampAndBodyWithTheDecodedSecret() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "HmacSHA256"));
        String expected = "v1," + Base64.getEncoder().encodeToString(
                mac.doFinal((ID + "." + TIMESTAMP + "." + BODY).getBytes(StandardCharsets.UTF_8)));

        assertThat(Signature.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(expected);
    }

    /** The example the Standard Webhooks reference libraries test themselves with. */
    @Test
    void matchesTheStandardWebhooksReferenceExample() {
        assertThat(Signature.sign(SECRET, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}"))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void anyChangeToIdTimestampOrBodyChangesTheSignature() {
        String signature = Signature.sign(SECRET, ID, TIMESTAMP, BODY);
        assertThat(Signature.sign(SECRET, ID + "5", TIMESTAMP, BODY)).isNotEqualTo(signature);
        assertThat(Signature.sign(SECRET, ID, TIMESTAMP + 1, BODY)).isNotEqualTo(signature);
        assertThat(Signature.sign(SECRET, ID, TIMESTAMP, BODY + " ")).isNotEqualTo(signature);
        assertThat(Signature.sign(Signature.newSecret(), ID, TIMESTAMP, BODY)).isNotEqualTo(signature);
    }

    @Test
    void aNewSecretIsWhsecAndThirtyTwoRandomBytes() {
        String secret = Signature.newSecret();
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(Signature.newSecret()).isNotEqualTo(secret);
    }

    @Test
    void aSecretWithoutThePrefixIsABug() {
        assertThatThrownBy(() -> Signature.sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", ID, TIMESTAMP, BODY))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
