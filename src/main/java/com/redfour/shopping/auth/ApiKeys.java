package com.redfour.shopping.auth;

import io.smallrye.config.ConfigMapping;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The API keys, one store each, configured only as SHA-256 digests
 * ({@code REDFOUR_API_KEYS=store1:<sha256 hex>,store2:<sha256 hex>}), so the service never holds a plain key.
 */
public final class ApiKeys {

    /** {@code redfour.api.keys}, from the environment as {@code REDFOUR_API_KEYS}. */
    @ConfigMapping(prefix = "redfour.api")
    public interface Settings {
        /** {@code store:<sha256 hex of key>} entries. */
        List<String> keys();
    }

    /** The configured keys, parsed once for everyone who needs them. */
    @jakarta.inject.Singleton
    static class Producer {
        @jakarta.enterprise.inject.Produces
        @jakarta.inject.Singleton
        ApiKeys keys(Settings settings) {
            return parse(settings.keys());
        }
    }

    private record Entry(String store, byte[] digest) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    /** Parses the configured entries; a malformed one stops the service from starting. */
    public static ApiKeys parse(List<String> configured) {
        return new ApiKeys(configured.stream().map(String::trim).filter(s -> !s.isEmpty()).map(ApiKeys::entry).toList());
    }

    private static Entry entry(String text) {
        int colon = text.indexOf(':');
        String store = colon < 0 ? "" : text.substring(0, colon);
        String hex = colon < 0 ? "" : text.substring(colon + 1).toLowerCase(java.util.Locale.ROOT);
        if (store.isEmpty() || !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(
                    "REDFOUR_API_KEYS entries must look like store:<64 hex digits of sha256(key)>");
        }
        return new Entry(store, HexFormat.of().parseHex(hex));
    }

    /**
     * The store {@code key} belongs to. Every configured digest is compared, in constant time, so the
     * time taken says nothing about which (or whether any) key came close.
     */
    public Optional<String> storeOf(String key) {
        byte[] digest = sha256(key);
        String match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest) && match == null) {
                match = entry.store();
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
