package com.redfour.shopping.session.api;

import com.redfour.shopping.http.WithDeadline;
import com.redfour.shopping.session.Session;
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
import java.util.List;

/** The store-wide session query: a store's live sessions, filtered, most recently updated first, keyset paginated. */
@Path("/v1/stores/{store}/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@WithDeadline
@Tag(name = "Sessions", description = "One customer's shopping session in one store")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
public class StoreSessionsResource {

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

    public StoreSessionsResource(Sessions sessions) {
        this.sessions = sessions;
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
        StoreQueryParameters given = StoreQueryParameters.of(uri.getQueryParameters());
        return sessions.query(store, given.filter(), given.after(), given.limit())
                .map(page -> new Listing(page.sessions().stream().map(Summary::of).toList(),
                        page.next().map(StoreQueryParameters.Cursor::encode).orElse(null)));
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
}
