package com.redfour.shopping.session;

import java.util.regex.Pattern;

/** The address of one session: the store it belongs to and the key the storefront chose. */
public record SessionId(String store, String key) {

    private static final Pattern STORE = Pattern.compile("^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$");
    private static final Pattern KEY = Pattern.compile("^[A-Za-z0-9_-]{16,128}$");

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
