package com.redfour.shopping.session.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.http.OptionalBody;
import com.redfour.shopping.http.ValidBody;
import com.redfour.shopping.http.WithDeadline;
import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.store.SessionSettings;
import com.redfour.shopping.session.write.Outcome;
import com.redfour.shopping.session.write.Sessions;
import com.redfour.shopping.session.write.Write;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The session endpoints of the contract other than its cart's ({@link CartResource}): the session
 * itself, its member, log, note, attributes, touches and close. Each maps its request to one
 * {@link Write} and hands it to the store ({@link SessionWrites}); what comes back is answered by
 * {@link Answers}.
 */
@Path("/v1/stores/{store}/sessions/{key}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@WithDeadline
@Tag(name = "Sessions", description = "One customer's shopping session in one store")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
@ApiDocumentation.SessionDocument
public class SessionResource {

    private static final Pattern IP = Pattern.compile(Bodies.IP);
    static final String MERGE_PATCH = "application/merge-patch+json";

    private final Sessions sessions;
    private final SessionWrites writes;
    private final Answers answers;
    private final ObjectMapper json;
    private final String defaultCurrency;
    private final OptionalBody optionalBody;
    private final ValidBody validBody;
    private final int maxLines;

    public SessionResource(Sessions sessions, SessionWrites writes, Answers answers, ObjectMapper json,
            SessionSettings settings, OptionalBody optionalBody, ValidBody validBody) {
        this.sessions = sessions;
        this.writes = writes;
        this.answers = answers;
        this.json = json;
        this.defaultCurrency = settings.defaultCurrency();
        this.optionalBody = optionalBody;
        this.validBody = validBody;
        this.maxLines = settings.maxLines();
    }

    @PUT
    @Operation(summary = "Find or create a session", description = "Creates the session (201, with Location) or returns the existing one unchanged (200). With If-Match it only finds.")
    @APIResponse(responseCode = "201", description = "The session was created",
            headers = {@Header(name = "Location", description = "The session's path", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "ETag", description = "\"<version>\"", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Idempotent-Replayed", description = "true when this answers a repeated Idempotency-Key", schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionView.class)))
    public Uni<RestResponse<SessionView>> open(@BeanParam SessionRequest at,
            @RequestBody(required = false, description = "How the customer arrived; every field optional, and so is the body",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Bodies.OpenSession.class)))
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        Bodies.OpenSession given = optionalBody.read(body, contentType, Bodies.OpenSession.class)
                .orElseGet(() -> new Bodies.OpenSession(null, null, null, null, null));
        Arrival arrival = new Arrival(
                given.landing() == null ? "/" : given.landing(),
                given.referrer(),
                given.ip() == null ? clientAddress(at.http()) : given.ip(),
                given.currency() == null ? defaultCurrency : given.currency());
        return writes.write(at, new Write.Open(arrival, given.memberId()), given);
    }

    @GET
    @Operation(summary = "Read a session", description = "Never writes. 304 when If-None-Match names the current ETag.")
    @APIResponse(responseCode = "304", description = "If-None-Match names the current version",
            headers = @Header(name = "ETag", description = "\"<version>\"", schema = @Schema(type = SchemaType.STRING)))
    public Uni<RestResponse<SessionView>> get(@BeanParam SessionAddress at,
            @Parameter(description = "* or entity tags such as \"4\": answered 304 when one names the current version")
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return sessions.read(at.id()).map(outcome -> outcome instanceof Outcome.Found found
                && RequestHeaders.noneMatchHits(ifNoneMatch, found.session().version())
                ? RestResponse.ResponseBuilder.<SessionView>create(RestResponse.Status.NOT_MODIFIED)
                        .header(HttpHeaders.ETAG, RequestHeaders.etag(found.session().version())).build()
                : answers.respond(outcome));
    }

    @DELETE
    @Operation(summary = "Delete a session", description = "Afterwards the session is gone (404). A repeat with the same Idempotency-Key answers 204 again.")
    @APIResponse(responseCode = "204", description = "The session is deleted",
            headers = @Header(name = "Idempotent-Replayed", description = "true when this answers a repeated Idempotency-Key", schema = @Schema(type = SchemaType.STRING)))
    public Uni<RestResponse<SessionView>> delete(@BeanParam SessionRequest at) {
        return writes.write(at, new Write.Delete(), null);
    }

    @PUT
    @Path("/member")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in as a member", description = "With merge: true, the member's most recently updated other open session in the store is merged into this one in one atomic step and becomes merged.")
    public Uni<RestResponse<SessionView>> signIn(@BeanParam SessionRequest at, Bodies.SignIn body) {
        Bodies.SignIn signIn = validBody.required(body);
        return writes.write(at, Boolean.TRUE.equals(signIn.merge())
                ? new Write.SignInAndMerge(signIn.memberId(), maxLines)
                : new Write.Apply(new Change.SignIn(signIn.memberId())), signIn);
    }

    @DELETE
    @Path("/member")
    @Operation(summary = "Sign out", description = "Clears the member.")
    public Uni<RestResponse<SessionView>> signOut(@BeanParam SessionRequest at) {
        return writes.change(at, new Change.SignOut(), null);
    }

    @POST
    @Path("/logs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append a log entry", description = "What the storefront saw the customer do; 1..500 characters.")
    public Uni<RestResponse<SessionView>> recordActivity(@BeanParam SessionRequest at, Bodies.RecordActivity body) {
        Bodies.RecordActivity activity = validBody.required(body);
        return writes.change(at, new Change.RecordActivity(activity.entry()), activity);
    }

    @PUT
    @Path("/note")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the customer's note", description = "1..1000 characters (a gift message, a delivery instruction). Setting the note it already has changes nothing.")
    public Uni<RestResponse<SessionView>> setNote(@BeanParam SessionRequest at, Bodies.SetNote body) {
        Bodies.SetNote note = validBody.required(body);
        return writes.change(at, new Change.SetNote(note.note()), note);
    }

    @DELETE
    @Path("/note")
    @Operation(summary = "Clear the customer's note", description = "Without a note, nothing changes (200, same version).")
    public Uni<RestResponse<SessionView>> clearNote(@BeanParam SessionRequest at) {
        return writes.change(at, new Change.ClearNote(), null);
    }

    @PATCH
    @Path("/attributes")
    @Consumes({MERGE_PATCH, MediaType.APPLICATION_JSON})
    @Operation(summary = "Change the session's attributes", description = "A JSON Merge Patch (RFC 7396): a string value sets a key, null removes it. "
            + "Keys ^[A-Za-z0-9_.-]{1,40}$, values 0..200 characters, at most 20 keys after the patch (else 422). A value of another JSON type, or a body "
            + "that is not an object, is 400. A patch that changes nothing changes nothing (200, same version).")
    @RequestBody(required = true, content = {
            @Content(mediaType = MERGE_PATCH, schema = @Schema(type = SchemaType.OBJECT, additionalProperties = String.class),
                    examples = @ExampleObject(name = "set and remove", value = "{\"gift\": \"yes\", \"channel\": null}")),
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT, additionalProperties = String.class))})
    public Uni<RestResponse<SessionView>> changeAttributes(@BeanParam SessionRequest at, byte[] body) throws IOException {
        AttributesPatch patch = AttributesPatch.read(body, json);
        return writes.change(at, patch.change(), patch.given());
    }

    @POST
    @Path("/touches")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a return visit", description = "A new last touch (landing defaults to /, as at creation): attribution.last, with the utm_* tags and click id "
            + "of the landing URL, and attribution.touches + 1. Logged as \"Returned via <landing>\".")
    public Uni<RestResponse<SessionView>> recordTouch(@BeanParam SessionRequest at, Bodies.RecordTouch body) {
        Bodies.RecordTouch touch = validBody.required(body);
        return writes.change(at, new Change.RecordTouch(touch.landing() == null ? "/" : touch.landing(), touch.referrer()), touch);
    }

    @POST
    @Path("/close")
    @Operation(summary = "Close the session after checkout", description = "Optionally names the order. A closed session accepts no more changes (409 session-closed).")
    public Uni<RestResponse<SessionView>> close(@BeanParam SessionRequest at,
            @RequestBody(required = false, description = "The order the session became; the body is optional",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Bodies.Close.class)))
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        Bodies.Close given = optionalBody.read(body, contentType, Bodies.Close.class).orElseGet(() -> new Bodies.Close(null));
        return writes.change(at, new Change.Close(given.orderId()), given);
    }

    /** The first {@code X-Forwarded-For} hop when present and an IP address, else the peer address. */
    static String clientAddress(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        String first = forwarded == null ? "" : forwarded.split(",", 2)[0].trim();
        if (IP.matcher(first).matches()) {
            return first;
        }
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
