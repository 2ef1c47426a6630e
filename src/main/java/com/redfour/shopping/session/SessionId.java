package com.redfour.shopping.session;

import java.util.regex.Pattern;

/** The address of one session: the store it belongs to and the key the storefront chose. */
public record SessionId(String store, String key) {

    /** A store id: lower-case letters, digits, dots and dashes, as in a domain name label or a domain. */
    public static final String STORE_PATTERN = "^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$";
    /** A session key the storefront chose: 16..128 URL-safe characters. */
    public static final String KEY_PATTERN = "^[A-Za-z0-9_-]{16,128}$";
    private static final Pattern STORE = Pattern.compile(STORE_PATTERN);
    private static final Pattern KEY = Pattern.compile(KEY_PATTERN);

    public SessionId {
        if (!isValidStore(store)) {
            throw new IllegalArgumentException("store must match " + STORE.pattern());
        }
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("session key must match " + KEY.pattern());
        }
    }

    public static boolean isValidStore(String store) {
        return store != null && STORE.matcher(store).matches();
    }

    @Override
    public String toString() {
        return store + "/" + key;
    }
}
