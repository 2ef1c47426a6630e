package com.redfour.shopping.session;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The campaign tags of a landing URL: {@code utm_*} query parameters and a click id. The URL may be
 * absolute ({@code https://shop.example/p?utm_source=x}) or, as storefronts usually send it, a path
 * with a query ({@code /p?utm_source=x}). Parsed with {@link URI} (a URL that it refuses carries no
 * tags: it is stored as given, never an error) and decoded as a form ({@code %20} and {@code +} are
 * spaces). Names are matched exactly (lower case). When a parameter is repeated the first occurrence
 * counts; an empty value counts as absent; the fragment is not part of the query.
 */
public record LandingUrl(Touch.Utm utm, String clickId) {

    /** The click ids of the ad networks, in the order they are looked for. */
    public static final List<String> CLICK_IDS = List.of("gclid", "fbclid", "msclkid");

    private static final LandingUrl NONE = new LandingUrl(Touch.Utm.NONE, null);

    public static LandingUrl parse(String landing) {
        if (landing == null) {
            return NONE;
        }
        String query;
        try {
            query = new URI(landing).getRawQuery();
        } catch (URISyntaxException e) {
            return NONE;
        }
        if (query == null || query.isEmpty()) {
            return NONE;
        }
        Map<String, String> params;
        try {
            params = firstValues(query);
        } catch (IllegalArgumentException e) {
            return NONE; // a percent sign not followed by two hex digits
        }
        Touch.Utm utm = new Touch.Utm(params.get("utm_source"), params.get("utm_medium"),
                params.get("utm_campaign"), params.get("utm_term"), params.get("utm_content"));
        String clickId = CLICK_IDS.stream().map(params::get).filter(id -> id != null).findFirst().orElse(null);
        return new LandingUrl(utm, clickId);
    }

    /** Each parameter's first non-empty value, names and values decoded. */
    private static Map<String, String> firstValues(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (!value.isEmpty()) {
                params.putIfAbsent(name, value);
            }
        }
        return params;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
