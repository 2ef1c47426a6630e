package com.redfour.shopping.event.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A subscription's URL taken apart for sending: {@code http} or {@code https}, a host, an optional
 * port, a path and query. No credentials and no fragment: neither would be sent, and credentials
 * in a URL end up in logs.
 *
 * @param host the host name or IP literal, without IPv6 brackets
 */
public record WebhookUrl(String text, boolean ssl, String host, int port, String requestUri) {

    /** The longest URL accepted. */
    public static final int MAX_LENGTH = 2048;

    /** A URL that cannot be a webhook URL; the message says why, for a 422. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses {@code text}, or fails with {@link Invalid} saying what is wrong with it. */
    public static WebhookUrl parse(String text) throws Invalid {
        if (text.length() > MAX_LENGTH) {
            throw new Invalid("must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new Invalid("must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Invalid("must be an absolute http or https URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Invalid("must name a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Invalid("must not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            throw new Invalid("must not have a fragment");
        }
        boolean ssl = scheme.equals("https");
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? (ssl ? 443 : 80) : uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        return new WebhookUrl(text, ssl, host.toLowerCase(Locale.ROOT), port, requestUri);
    }
}
