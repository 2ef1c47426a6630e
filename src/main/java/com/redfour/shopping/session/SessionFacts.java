package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * What a session tells its store's insights: the day it was created (UTC), its currency, how the
 * customer came (the first and the last touch, as the insights group them) and what came of it. The
 * stored facts add what no single session state can tell: whether it ever had a line, and whether it
 * was ever reported abandoned (session/store keeps those sticky).
 *
 * @param hasLines whether the cart holds a line now
 * @param converted whether the session was closed ({@code POST /close})
 * @param recovered whether it holds a restored cart ({@code recoveredFrom} set)
 * @param revenue its total when converted, else zero
 * @param value its total now
 */
public record SessionFacts(LocalDate day, String currency, Keys first, Keys last, boolean hasLines,
        boolean converted, boolean recovered, BigDecimal revenue, BigDecimal value) {

    /** A value missing from a touch: no campaign, no medium, no landing page. */
    public static final String NONE = "(none)";
    /** No UTM source and no referrer. */
    public static final String DIRECT = "(direct)";

    /**
     * One touch as the insights group it.
     *
     * @param source the touch's {@code utm.source}; else the referrer's host; else {@code (direct)}
     * @param medium its {@code utm.medium}, else {@code (none)}
     * @param campaign its {@code utm.campaign}, else {@code (none)}
     * @param referrer the referrer's host (lower case), else {@code (direct)}
     * @param landing the landing URL's path without query or fragment, else {@code (none)}
     */
    public record Keys(String source, String medium, String campaign, String referrer, String landing) {

        public static Keys of(Touch touch) {
            String referrer = host(touch.referrer());
            Touch.Utm utm = touch.utm();
            return new Keys(utm.source() != null ? utm.source() : referrer, orNone(utm.medium()),
                    orNone(utm.campaign()), referrer, path(touch.landing()));
        }
    }

    public static SessionFacts of(Session s) {
        Totals totals = s.totals();
        boolean converted = s.status() == Status.CLOSED;
        return new SessionFacts(s.createdAt().atOffset(ZoneOffset.UTC).toLocalDate(), s.arrival().currency(),
                Keys.of(s.attribution().first()), Keys.of(s.attribution().last()), !s.cart().lines().isEmpty(),
                converted, s.recoveredFrom() != null, converted ? totals.total() : Money.ZERO, totals.total());
    }

    /**
     * Whether the change from {@code before} to {@code after} moves any of the facts but the value: only
     * then does it have to rewrite them (the value matters once the session is reported abandoned, and from
     * then on the store follows it on every change). Decided from what the facts are derived from, without
     * deriving them: most changes (another line, a quantity) move none.
     */
    public static boolean moved(Session before, Session after) {
        return before.status() != after.status()
                || before.cart().lines().isEmpty() != after.cart().lines().isEmpty()
                || !java.util.Objects.equals(before.recoveredFrom(), after.recoveredFrom())
                || !before.attribution().equals(after.attribution())
                || !java.util.Objects.equals(before.arrival().currency(), after.arrival().currency())
                || !before.createdAt().equals(after.createdAt());
    }

    private static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    /** The referrer's host in lower case; {@code (direct)} when there is no referrer or it names no host. */
    static String host(String referrer) {
        if (referrer == null || referrer.isBlank()) {
            return DIRECT;
        }
        String host = parsedHost(referrer);
        if (host == null) {
            host = parsedHost("//" + referrer); // "shop.example/page": a host without a scheme
        }
        return host == null || host.isEmpty() ? DIRECT : host.toLowerCase(Locale.ROOT);
    }

    private static String parsedHost(String url) {
        try {
            return new URI(url).getHost();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The landing URL's path: no scheme, host, query or fragment; {@code /} for an empty path. */
    static String path(String landing) {
        if (landing == null || landing.isBlank()) {
            return NONE;
        }
        String path;
        try {
            URI uri = new URI(landing);
            path = uri.isOpaque() ? null : uri.getRawPath();
        } catch (URISyntaxException e) {
            int end = landing.length();
            for (char c : new char[] {'?', '#'}) {
                int at = landing.indexOf(c);
                end = at >= 0 ? Math.min(end, at) : end;
            }
            path = landing.substring(0, end);
        }
        return path == null || path.isEmpty() ? "/" : path;
    }
}
