package com.redfour.shopping.session.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The secret of a recovery link: 192 random bits as 32 URL-safe characters. It is shown once, when the
 * link is made, and stored only as its SHA-256: a link is found by the hash of the token presented,
 * so the database never holds a token, and a token altered in any character has an unrelated hash
 * (how long the lookup takes does not depend on how much of a real token was matched).
 */
public final class RecoveryToken {

    /** What a token can look like (the contract's rule); anything else is no link at all. */
    public static final String PATTERN = "^[A-Za-z0-9_-]{22,64}$";
    private static final Pattern SHAPE = Pattern.compile(PATTERN);
    private static final int TOKEN_BYTES = 24;
    private static final int ID_BYTES = 12;
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private RecoveryToken() {
    }

    /** A new token. */
    public static String newToken() {
        return random(TOKEN_BYTES);
    }

    /** A new link id (16 characters; not a secret, but not guessable either). */
    public static String newLinkId() {
        return random(ID_BYTES);
    }

    public static boolean isWellFormed(String token) {
        return token != null && SHAPE.matcher(token).matches();
    }

    /** The token's SHA-256 in hex, as stored. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String random(int bytes) {
        byte[] value = new byte[bytes];
        new SecureRandom().nextBytes(value); // made when needed: no random state in a native image's heap
        return URL_SAFE.encodeToString(value);
    }
}
