package com.redfour.shopping.session.api;

import com.redfour.shopping.auth.StoreAccess;
import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.RequestDeadline;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Status;
import com.redfour.shopping.session.Totals;
import com.redfour.shopping.session.store.SessionQuery;
import com.redfour.shopping.session.write.Sessions;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The store-wide session query: a store's live sessions, filtered, most recently updated first, keyset paginated. */
@Path("/v1/stores/{store}/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Sessions", description = "One customer's shopping session in one store")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
public class StoreSessionsResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;

    private static final Pattern MEMBER_ID = Pattern.compile(Bodies.MEMBER_ID);
    private static final Duration LONGEST_IDLE = Duration.ofDays(36_500);
    private static final Pattern LIMIT = Pattern.compile("^[0-9]{1,4}$");

    /** The response body. */
    @RegisterForReflection
    public record Listing(List<Summary> sessions,
            @Schema(description = "Pass as cursor for the next page; null on the last page", nullable = true) String next) {
    }

    /** A session in a listing. */
    @RegisterForReflection
    public record Summary(String key, String status, String memberId, String currency, int itemCount, BigDecimal total,
            String createdAt, String updatedAt, String expiresAt, Attribution attribution) {
        static Summary of(SessionQuery.Listed listed) {
            Session s = listed.session();
            Totals totals = s.totals();
            return new Summary(s.id().key(), s.status().wireName(), s.memberId(), s.arrival().currency(),
                    totals.itemCount(), totals.total(), SessionView.timestamp(s.createdAt()),
                    SessionView.timestamp(s.updatedAt()), SessionView.timestamp(listed.expiresAt()),
                    new Attribution(new Touch(s.arrival().landing(), s.arrival().referrer())));
        }
    }

    /** Where the customer came from. */
    @RegisterForReflection
    public record Attribution(Touch first) {
    }

    /** One arrival: the landing page and the referrer. */
    @RegisterForReflection
    public record Touch(String landing, String referrer) {
    }

    private final Sessions sessions;
    private final StoreAccess access;
    private final RequestDeadline deadline;

    public StoreSessionsResource(Sessions sessions, StoreAccess access, RequestDeadline deadline) {
        this.sessions = sessions;
        this.access = access;
        this.deadline = deadline;
    }

    @GET
    @Operation(summary = "Query the store's sessions",
            description = "Live (unexpired) sessions of the store, most recently updated first, filtered by the given "
                    + "parameters (all must hold), one page at a time. Pass `next` as `cursor` for the following page: "
                    + "a session that does not change meanwhile is listed exactly once across the pages; one that "
                    + "changes moves to the front. An invalid parameter is 400 invalid-request.")
    @APIResponse(responseCode = "200", description = "A page of session summaries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Listing.class)))
    public Uni<Listing> query(@PathParam("store") String store,
            @Parameter(description = "Only sessions in this status", schema = @Schema(type = SchemaType.STRING, enumeration = {"open", "closed", "merged"}))
            @QueryParam("status") String status,
            @Parameter(description = "true: only sessions with at least one item; false: only empty ones", schema = @Schema(type = SchemaType.BOOLEAN))
            @QueryParam("hasItems") String hasItems,
            @Parameter(description = "Only sessions not changed for at least this long (ISO-8601 duration, e.g. PT1H)", example = "PT1H")
            @QueryParam("idleFor") String idleFor,
            @Parameter(description = "Only this member's sessions", schema = @Schema(type = SchemaType.STRING, pattern = Bodies.MEMBER_ID))
            @QueryParam("memberId") String memberId,
            @Parameter(description = "Sessions per page, 1..200 (default 50)", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "200"))
            @QueryParam("limit") String limit,
            @Parameter(description = "The `next` of the previous page") @QueryParam("cursor") String cursor,
            @Context UriInfo uri) {
        access.checkStore(PathSegments.store(store));
        // Read from the query string as given, so that an empty or repeated parameter is refused too.
        MultivaluedMap<String, String> given = uri.getQueryParameters();
        SessionQuery.Filter filter = new SessionQuery.Filter(status(one(given, "status")), hasItems(one(given, "hasItems")),
                idleFor(one(given, "idleFor")), memberId(one(given, "memberId")));
        return deadline.bound(sessions.query(store, filter, Cursor.decode(one(given, "cursor")), limit(one(given, "limit"))))
                .map(page -> new Listing(page.sessions().stream().map(Summary::of).toList(),
                        page.next().map(Cursor::encode).orElse(null)));
    }

    /**
     * A method no session endpoint has on a session's own address. This class's path is a prefix of
     * {@link SessionResource}'s, and the REST layer, finding no such method there, tries this class next:
     * without these it would answer 404 instead of 405.
     */
    @POST
    @Path("/{key}")
    @Operation(hidden = true)
    public void postOnASession() {
        throw notAllowed();
    }

    @PATCH
    @Path("/{key}")
    @Operation(hidden = true)
    public void patchOnASession() {
        throw notAllowed();
    }

    private static NotAllowedException notAllowed() {
        return new NotAllowedException(HttpMethod.GET, new String[] {HttpMethod.PUT, HttpMethod.DELETE});
    }

    /** The parameter's one value, null when absent; a 400 when given more than once. */
    private static String one(MultivaluedMap<String, String> given, String name) {
        List<String> values = given.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiProblem.invalidRequest(name + " must be given at most once");
        }
        return values.get(0);
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

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        if (LIMIT.matcher(value).matches()) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw ApiProblem.invalidRequest("limit must be an integer from 1 to " + MAX_LIMIT);
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
