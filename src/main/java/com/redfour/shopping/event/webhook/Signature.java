package com.redfour.shopping.event.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/** Standard Webhooks signing: the secret's form and the {@code webhook-signature} of one delivery. */
public final class Signature {

    /** Every secret starts with this; the rest is the base64 of the HMAC key. */
    public static final String SECRET_PREFIX = "whsec_";

    private Signature() {
    }

    /**
     * A new secret: {@code whsec_} and the base64 of 32 random bytes. The random source is made per
     * call (a secret is made once per subscription), never held in a static field: a native image
     * initialises classes at build time, and a seeded generator frozen into the image would hand
     * every process the same secrets.
     */
    public static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * The {@code webhook-signature} header: {@code v1,} and the base64 HMAC-SHA256, keyed with the
     * decoded secret, of {@code {id}.{timestamp}.{body}}.
     */
    public static String sign(String secret, String id, long timestamp, String body) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
