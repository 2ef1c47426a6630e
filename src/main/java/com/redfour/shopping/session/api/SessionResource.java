package com.redfour.shopping.session.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.auth.StoreAccess;
import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.OptionalBody;
import com.redfour.shopping.http.RequestDeadline;
import com.redfour.shopping.http.ValidBody;
import com.fasterxml.jackson.databind.JsonNode;
import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Attributes;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.Discount;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.SessionSettings;
import com.redfour.shopping.session.write.Outcome;
import com.redfour.shopping.session.write.Sessions;
import com.redfour.shopping.session.write.Write;
import com.redfour.shopping.session.write.WriteRequest;
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
import jakarta.ws.rs.PathParam;
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
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The session endpoints of the contract. Each maps its request to one {@link Write} and hands it to
 * the store; what comes back is answered by {@link Answers}.
 */
@Path("/v1/stores/{store}/sessions/{key}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Sessions", description = "One customer's shopping session in one store")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
@ApiDocumentation.SessionDocument
public class SessionResource {

    private static final Pattern IP = Pattern.compile(Bodies.IP);
    static final String MERGE_PATCH = "application/merge-patch+json";

    private final Sessions sessions;
    private final Answers answers;
    private final ObjectMapper json;
    private final String defaultCurrency;
    private final StoreAccess access;
    private final OptionalBody optionalBody;
    private final ValidBody validBody;
    private final RequestDeadline deadline;
    private final int maxLines;

    public SessionResource(Sessions sessions, Answers answers, ObjectMapper json, SessionSettings settings,
            StoreAccess access, OptionalBody optionalBody, ValidBody validBody, RequestDeadline deadline) {
        this.sessions = sessions;
        this.answers = answers;
        this.json = json;
        this.defaultCurrency = settings.defaultCurrency();
        this.access = access;
        this.optionalBody = optionalBody;
        this.validBody = validBody;
        this.deadline = deadline;
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
        return write(at, new Write.Open(arrival, given.memberId()), given);
    }

    @GET
    @Operation(summary = "Read a session", description = "Never writes. 304 when If-None-Match names the current ETag.")
    @APIResponse(responseCode = "304", description = "If-None-Match names the current version",
            headers = @Header(name = "ETag", description = "\"<version>\"", schema = @Schema(type = SchemaType.STRING)))
    public Uni<RestResponse<SessionView>> get(@BeanParam SessionAddress at,
            @Parameter(description = "* or entity tags such as \"4\": answered 304 when one names the current version")
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        SessionId id = address(at);
        return deadline.bound(sessions.read(id)).map(outcome -> outcome instanceof Outcome.Found found
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
        return write(at, new Write.Delete(), null);
    }

    @POST
    @Path("/items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add an item", description = "The line with that sku and the same attributes gains the quantity (default 1) and takes the new name and price; "
            + "with other attributes (or none where the line has some) it is a new line with its own lineId. When the price changed, the log says so and "
            + "the response carries a price-changed warning. A negative price is 422 and logged as tampering.")
    public Uni<RestResponse<SessionView>> selectItem(@BeanParam SessionRequest at, Bodies.SelectItem body) {
        Bodies.SelectItem item = validBody.required(body);
        Map<String, String> attributes = item.attributes() == null ? Map.of() : item.attributes();
        checkAttributes(attributes, Attributes.MAX_PER_LINE);
        int quantity = item.quantity() == null ? 1 : item.quantity().intValue();
        return change(at, new Change.SelectItem(item.sku(), item.name(), item.price(), quantity, attributes, maxLines), item);
    }

    @PATCH
    @Path("/lines/{lineId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a line's quantity, by line id", description = "0..999; 0 removes the line. 404 if there is no such line.")
    public Uni<RestResponse<SessionView>> changeLineQuantity(@BeanParam SessionRequest at, @PathParam("lineId") String lineId,
            Bodies.ChangeQuantity body) {
        Bodies.ChangeQuantity change = validBody.required(body);
        return change(at, new Change.ChangeLineQuantity(lineId, change.quantity().intValue()), change);
    }

    @DELETE
    @Path("/lines/{lineId}")
    @Operation(summary = "Remove a line, by line id", description = "404 if there is no such line.")
    public Uni<RestResponse<SessionView>> removeLine(@BeanParam SessionRequest at, @PathParam("lineId") String lineId) {
        return change(at, new Change.RemoveLine(lineId), null);
    }

    @PATCH
    @Path("/items/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a line's quantity", description = "0..999; 0 removes the line. 404 if there is no such line; 409 ambiguous-line when several lines carry the sku (use /lines/{lineId}).")
    public Uni<RestResponse<SessionView>> changeQuantity(@BeanParam SessionRequest at, @PathParam("sku") String sku,
            Bodies.ChangeQuantity body) {
        Bodies.ChangeQuantity change = validBody.required(body);
        return change(at, new Change.ChangeQuantity(sku, change.quantity().intValue()), change);
    }

    @DELETE
    @Path("/items/{sku}")
    @Operation(summary = "Remove a line", description = "404 if there is no such line; 409 ambiguous-line when several lines carry the sku (use /lines/{lineId}).")
    public Uni<RestResponse<SessionView>> removeItem(@BeanParam SessionRequest at, @PathParam("sku") String sku) {
        return change(at, new Change.RemoveItem(sku), null);
    }

    @DELETE
    @Path("/items")
    @Operation(summary = "Remove every line", description = "")
    public Uni<RestResponse<SessionView>> clearItems(@BeanParam SessionRequest at) {
        return change(at, new Change.ClearItems(), null);
    }

    @POST
    @Path("/discounts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Apply a discount code", description = "Exactly one of percentOff and amountOff. Applying a code that is already applied changes nothing.")
    public Uni<RestResponse<SessionView>> applyDiscount(@BeanParam SessionRequest at, Bodies.ApplyDiscount body) {
        Bodies.ApplyDiscount given = validBody.required(body);
        if ((given.percentOff() == null) == (given.amountOff() == null)) {
            throw ApiProblem.invalidField("percentOff", "exactly one of percentOff and amountOff must be given");
        }
        Discount discount = given.percentOff() != null
                ? new Discount.PercentOff(given.code(), given.percentOff())
                : new Discount.AmountOff(given.code(), given.amountOff());
        return change(at, new Change.ApplyDiscount(discount), given);
    }

    @DELETE
    @Path("/discounts/{code}")
    @Operation(summary = "Remove a discount code", description = "404 if it is not applied.")
    public Uni<RestResponse<SessionView>> removeDiscount(@BeanParam SessionRequest at, @PathParam("code") String code) {
        return change(at, new Change.RemoveDiscount(code), null);
    }

    @PUT
    @Path("/member")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in as a member", description = "With merge: true, the member's most recently updated other open session in the store is merged into this one in one atomic step and becomes merged.")
    public Uni<RestResponse<SessionView>> signIn(@BeanParam SessionRequest at, Bodies.SignIn body) {
        Bodies.SignIn signIn = validBody.required(body);
        return write(at, Boolean.TRUE.equals(signIn.merge())
                ? new Write.SignInAndMerge(signIn.memberId(), maxLines)
                : new Write.Apply(new Change.SignIn(signIn.memberId())), signIn);
    }

    @DELETE
    @Path("/member")
    @Operation(summary = "Sign out", description = "Clears the member.")
    public Uni<RestResponse<SessionView>> signOut(@BeanParam SessionRequest at) {
        return change(at, new Change.SignOut(), null);
    }

    @POST
    @Path("/logs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append a log entry", description = "What the storefront saw the customer do; 1..500 characters.")
    public Uni<RestResponse<SessionView>> recordActivity(@BeanParam SessionRequest at, Bodies.RecordActivity body) {
        Bodies.RecordActivity activity = validBody.required(body);
        return change(at, new Change.RecordActivity(activity.entry()), activity);
    }

    @PUT
    @Path("/note")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the customer's note", description = "1..1000 characters (a gift message, a delivery instruction). Setting the note it already has changes nothing.")
    public Uni<RestResponse<SessionView>> setNote(@BeanParam SessionRequest at, Bodies.SetNote body) {
        Bodies.SetNote note = validBody.required(body);
        return change(at, new Change.SetNote(note.note()), note);
    }

    @DELETE
    @Path("/note")
    @Operation(summary = "Clear the customer's note", description = "Without a note, nothing changes (200, same version).")
    public Uni<RestResponse<SessionView>> clearNote(@BeanParam SessionRequest at) {
        return change(at, new Change.ClearNote(), null);
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
        JsonNode patch = body == null || body.length == 0 ? null : json.readTree(body);
        if (patch == null || patch.isMissingNode()) {
            throw ApiProblem.invalidRequest("this request needs a JSON body");
        }
        if (!patch.isObject()) {
            throw ApiProblem.invalidRequest("a merge patch of attributes must be a JSON object");
        }
        Map<String, String> given = new TreeMap<>();
        Map<String, String> set = new TreeMap<>();
        Set<String> removed = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                removed.add(field.getKey());
            } else if (value.isTextual() && value.textValue().indexOf('\0') < 0) {
                set.put(field.getKey(), value.textValue());
            } else {
                throw ApiProblem.invalidRequest("field " + field.getKey() + " must be a string (without U+0000) or null");
            }
            given.put(field.getKey(), value.isNull() ? null : value.textValue());
        }
        for (String key : removed) {
            Attributes.problemWith(key, "").ifPresent(problem -> {
                throw ApiProblem.invalidField("attributes", problem);
            });
        }
        checkAttributes(set, Attributes.MAX_PER_SESSION);
        return change(at, new Change.ChangeAttributes(set, removed), given);
    }

    @POST
    @Path("/touches")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record a return visit", description = "A new last touch (landing defaults to /, as at creation): attribution.last, with the utm_* tags and click id "
            + "of the landing URL, and attribution.touches + 1. Logged as \"Returned via <landing>\".")
    public Uni<RestResponse<SessionView>> recordTouch(@BeanParam SessionRequest at, Bodies.RecordTouch body) {
        Bodies.RecordTouch touch = validBody.required(body);
        return change(at, new Change.RecordTouch(touch.landing() == null ? "/" : touch.landing(), touch.referrer()), touch);
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
        return change(at, new Change.Close(given.orderId()), given);
    }

    // --- the one way in ----------------------------------------------------------------------

    private Uni<RestResponse<SessionView>> change(SessionRequest at, Change change, Object body) {
        return write(at, new Write.Apply(change), body);
    }

    private Uni<RestResponse<SessionView>> write(SessionRequest at, Write write, Object body) {
        WriteRequest request = at.write(address(at), write, body, json);
        return deadline.bound(sessions.write(request)).map(answers::respond);
    }

    private SessionId address(SessionAddress at) {
        SessionId id = at.id();
        access.checkStore(id.store());
        return id;
    }

    /** Attributes that break a rule are a 422 naming the field {@code attributes}. */
    private static void checkAttributes(Map<String, String> attributes, int maxKeys) {
        Attributes.problemWith(attributes, maxKeys).ifPresent(problem -> {
            throw ApiProblem.invalidField("attributes", problem);
        });
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
