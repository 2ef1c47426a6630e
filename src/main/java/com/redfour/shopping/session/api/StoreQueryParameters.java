package com.redfour.shopping.session.api;

import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.QueryParameters;
import com.redfour.shopping.session.Status;
import com.redfour.shopping.session.store.SessionQuery;
import jakarta.ws.rs.core.MultivaluedMap;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

import static com.redfour.shopping.http.QueryParameters.one;

/**
 * The store-wide query's parameters, read from the query string as given (so that an empty or
 * repeated parameter is refused too) and checked: any that breaks its rule is a 400 naming it.
 */
record StoreQueryParameters(SessionQuery.Filter filter, Optional<SessionQuery.Position> after, int limit) {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private static final Pattern MEMBER_ID = Pattern.compile(Bodies.MEMBER_ID);
    private static final Duration LONGEST_IDLE = Duration.ofDays(36_500);

    static StoreQueryParameters of(MultivaluedMap<String, String> given) {
        SessionQuery.Filter filter = new SessionQuery.Filter(status(one(given, "status")), hasItems(one(given, "hasItems")),
                idleFor(one(given, "idleFor")), memberId(one(given, "memberId")));
        return new StoreQueryParameters(filter, Cursor.decode(one(given, "cursor")),
                QueryParameters.limit(one(given, "limit"), DEFAULT_LIMIT, MAX_LIMIT));
    }

    private static Optional<Status> status(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Status status : Status.values()) {
            if (status.wireName().equals(value)) {
                return Optional.of(status);
            }
        }
        throw ApiProblem.invalidRequest("status must be one of open, closed, merged");
    }

    private static Optional<Boolean> hasItems(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.equals("true") || value.equals("false")) {
            return Optional.of(Boolean.valueOf(value));
        }
        throw ApiProblem.invalidRequest("hasItems must be true or false");
    }

    private static Optional<Duration> idleFor(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            Duration idle = Duration.parse(value);
            if (!idle.isNegative() && idle.compareTo(LONGEST_IDLE) <= 0) {
                return Optional.of(idle);
            }
        } catch (DateTimeParseException e) {
            // answered below
        }
        throw ApiProblem.invalidRequest("idleFor must be an ISO-8601 duration from PT0S to P36500D, such as PT1H");
    }

    private static Optional<String> memberId(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (MEMBER_ID.matcher(value).matches()) {
            return Optional.of(value);
        }
        throw ApiProblem.invalidRequest("memberId must match " + Bodies.MEMBER_ID);
    }

    /** The opaque cursor: base64url of the last listed session's update time (epoch microseconds) and key. */
    static final class Cursor {

        private static final Pattern TEXT = Pattern.compile("^([0-9]{1,17}):([A-Za-z0-9_-]{16,128})$");

        private Cursor() {
        }

        static String encode(SessionQuery.Position position) {
            Instant at = position.updatedAt();
            long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((micros + ":" + position.key()).getBytes(StandardCharsets.US_ASCII));
        }

        static Optional<SessionQuery.Position> decode(String cursor) {
            if (cursor == null) {
                return Optional.empty();
            }
            try {
                var text = TEXT.matcher(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII));
                if (text.matches()) {
                    long micros = Long.parseLong(text.group(1));
                    Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
                    return Optional.of(new SessionQuery.Position(at, text.group(2)));
                }
            } catch (IllegalArgumentException | java.time.DateTimeException e) {
                // not base64url, or a number out of range: answered below
            }
            throw ApiProblem.invalidRequest("cursor is not one this service gave out");
        }
    }
}
