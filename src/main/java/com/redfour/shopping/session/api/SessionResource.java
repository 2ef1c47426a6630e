package com.redfour.shopping.session.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.Discount;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.auth.StoreAccess;
import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.OptionalBody;
import com.redfour.shopping.http.RequestDeadline;
import com.redfour.shopping.http.RequestGate;
import com.redfour.shopping.session.Visit;
import com.redfour.shopping.session.store.Idempotency;
import com.redfour.shopping.session.store.SessionSettings;
import com.redfour.shopping.session.store.Sessions;
import com.redfour.shopping.session.store.Written;
import io.quarkus.security.Authenticated;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.regex.Pattern;

/** The session endpoints of the contract: maps HTTP to a change, and a change's result to HTTP. */
@Path("/v1/stores/{store}/sessions/{key}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@Tag(name = "Sessions", description = "One customer's shopping session in one store")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
@ApiDocumentation.SessionErrors
public class SessionResource {

    static final String IDEMPOTENCY_KEY = RequestGate.IDEMPOTENCY_KEY;
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private static final Pattern SKU = Pattern.compile(Bodies.SKU);
    private static final Pattern CODE = Pattern.compile(Bodies.CODE);
    private static final Pattern IP = Pattern.compile(Bodies.IP);

    private final Sessions sessions;
    private final ObjectMapper json;
    private final String defaultCurrency;
    private final StoreAccess access;
    private final OptionalBody optionalBody;
    private final RequestDeadline deadline;

    public SessionResource(Sessions sessions, ObjectMapper json, SessionSettings settings, StoreAccess access,
            OptionalBody optionalBody, RequestDeadline deadline) {
        this.sessions = sessions;
        this.json = json;
        this.defaultCurrency = settings.defaultCurrency();
        this.access = access;
        this.optionalBody = optionalBody;
        this.deadline = deadline;
    }

    @PUT
    @Operation(summary = "Find or create a session", description = "Creates the session (201, with Location) or returns the existing one unchanged (200). With If-Match it only finds.")
    public Uni<RestResponse<SessionView>> open(@PathParam("store") String store, @PathParam("key") String key,
            byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @Context HttpServerRequest request) {
        SessionId id = address(store, key);
        Bodies.OpenSession given = optionalBody.read(body, contentType, Bodies.OpenSession.class)
                .orElseGet(() -> new Bodies.OpenSession(null, null, null, null, null));
        Visit visit = new Visit(
                given.landing() == null ? "/" : given.landing(),
                given.referrer(),
                given.ip() == null ? clientAddress(request) : given.ip(),
                given.memberId(),
                given.currency() == null ? defaultCurrency : given.currency());
        Idempotency idempotency = idempotency(idempotencyKey, "PUT", "", given);
        return deadline.bound(sessions.open(id, visit, RequestHeaders.ifMatch(ifMatch), idempotency)).map(this::respond);
    }

    @GET
    @Operation(summary = "Read a session", description = "Never writes. 304 when If-None-Match names the current ETag.")
    public Uni<RestResponse<SessionView>> get(@PathParam("store") String store, @PathParam("key") String key,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        SessionId id = address(store, key);
        return deadline.bound(sessions.get(id)).map(session -> RequestHeaders.noneMatchHits(ifNoneMatch, session.version())
                ? RestResponse.ResponseBuilder.<SessionView>create(RestResponse.Status.NOT_MODIFIED)
                        .header(HttpHeaders.ETAG, RequestHeaders.etag(session.version())).build()
                : respond(new Written(session, 200, false)));
    }

    @DELETE
    @Operation(summary = "Delete a session", description = "Afterwards the session is gone (404). A repeat with the same Idempotency-Key answers 204 again.")
    public Uni<RestResponse<SessionView>> delete(@PathParam("store") String store, @PathParam("key") String key,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        SessionId id = address(store, key);
        return deadline.bound(sessions.delete(id, RequestHeaders.ifMatch(ifMatch), idempotency(idempotencyKey, "DELETE", "", null)))
                .map(this::respond);
    }

    @POST
    @Path("/items")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add an item", description = "A line with that sku gains the quantity (default 1) and takes the new name and price. A negative price is 422 and logged as tampering.")
    public Uni<RestResponse<SessionView>> selectItem(@PathParam("store") String store, @PathParam("key") String key,
            @Valid Bodies.SelectItem body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        Bodies.SelectItem item = required(body);
        int quantity = item.quantity() == null ? 1 : item.quantity().intValue();
        return change(store, key, "POST", "/items", item,
                new Change.SelectItem(item.sku(), item.name(), item.price(), quantity), ifMatch, idempotencyKey);
    }

    @PATCH
    @Path("/items/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a line's quantity", description = "0..999; 0 removes the line. 404 if there is no such line.")
    public Uni<RestResponse<SessionView>> changeQuantity(@PathParam("store") String store,
            @PathParam("key") String key, @PathParam("sku") String sku, @Valid Bodies.ChangeQuantity body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        Bodies.ChangeQuantity change = required(body);
        return change(store, key, "PATCH", "/items/" + segment("sku", sku, SKU), change,
                new Change.ChangeQuantity(sku, change.quantity().intValue()), ifMatch, idempotencyKey);
    }

    @DELETE
    @Path("/items/{sku}")
    @Operation(summary = "Remove a line", description = "404 if there is no such line.")
    public Uni<RestResponse<SessionView>> removeItem(@PathParam("store") String store, @PathParam("key") String key,
            @PathParam("sku") String sku, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return change(store, key, "DELETE", "/items/" + segment("sku", sku, SKU), null,
                new Change.RemoveItem(sku), ifMatch, idempotencyKey);
    }

    @DELETE
    @Path("/items")
    @Operation(summary = "Remove every line", description = "")
    public Uni<RestResponse<SessionView>> clearItems(@PathParam("store") String store, @PathParam("key") String key,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return change(store, key, "DELETE", "/items", null, new Change.ClearItems(), ifMatch, idempotencyKey);
    }

    @POST
    @Path("/discounts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Apply a discount code", description = "Exactly one of percentOff and amountOff. Applying a code that is already applied changes nothing.")
    public Uni<RestResponse<SessionView>> applyDiscount(@PathParam("store") String store,
            @PathParam("key") String key, @Valid Bodies.ApplyDiscount body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        Bodies.ApplyDiscount given = required(body);
        if ((given.percentOff() == null) == (given.amountOff() == null)) {
            throw ApiProblem.invalidField("percentOff", "exactly one of percentOff and amountOff must be given");
        }
        Discount discount = given.percentOff() != null
                ? new Discount.PercentOff(given.code(), given.percentOff())
                : new Discount.AmountOff(given.code(), given.amountOff());
        return change(store, key, "POST", "/discounts", given, new Change.ApplyDiscount(discount), ifMatch,
                idempotencyKey);
    }

    @DELETE
    @Path("/discounts/{code}")
    @Operation(summary = "Remove a discount code", description = "404 if it is not applied.")
    public Uni<RestResponse<SessionView>> removeDiscount(@PathParam("store") String store,
            @PathParam("key") String key, @PathParam("code") String code,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return change(store, key, "DELETE", "/discounts/" + segment("code", code, CODE), null,
                new Change.RemoveDiscount(code), ifMatch, idempotencyKey);
    }

    @PUT
    @Path("/member")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in as a member", description = "With merge: true, the member's most recently updated other open session in the store is merged into this one in one atomic step and becomes merged.")
    public Uni<RestResponse<SessionView>> signIn(@PathParam("store") String store, @PathParam("key") String key,
            @Valid Bodies.SignIn body, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        Bodies.SignIn signIn = required(body);
        SessionId id = address(store, key);
        Sessions.ChangeRequest request = new Sessions.ChangeRequest(new Change.SignIn(signIn.memberId()),
                RequestHeaders.ifMatch(ifMatch), idempotency(idempotencyKey, "PUT", "/member", signIn));
        return deadline.bound(Boolean.TRUE.equals(signIn.merge()) ? sessions.signInAndMerge(id, request) : sessions.change(id, request))
                .map(this::respond);
    }

    @DELETE
    @Path("/member")
    @Operation(summary = "Sign out", description = "Clears the member.")
    public Uni<RestResponse<SessionView>> signOut(@PathParam("store") String store, @PathParam("key") String key,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return change(store, key, "DELETE", "/member", null, new Change.SignOut(), ifMatch, idempotencyKey);
    }

    @POST
    @Path("/logs")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Append a log entry", description = "What the storefront saw the customer do; 1..500 characters.")
    public Uni<RestResponse<SessionView>> recordActivity(@PathParam("store") String store,
            @PathParam("key") String key, @Valid Bodies.RecordActivity body,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        Bodies.RecordActivity activity = required(body);
        return change(store, key, "POST", "/logs", activity, new Change.RecordActivity(activity.entry()), ifMatch,
                idempotencyKey);
    }

    @POST
    @Path("/close")
    @Operation(summary = "Close the session after checkout", description = "Optionally names the order. A closed session accepts no more changes (409 session-closed).")
    public Uni<RestResponse<SessionView>> close(@PathParam("store") String store, @PathParam("key") String key,
            byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        Bodies.Close given = optionalBody.read(body, contentType, Bodies.Close.class).orElseGet(() -> new Bodies.Close(null));
        return change(store, key, "POST", "/close", given, new Change.Close(given.orderId()), ifMatch, idempotencyKey);
    }

    // --- mapping -----------------------------------------------------------------------------

    private Uni<RestResponse<SessionView>> change(String store, String key, String method, String path, Object body,
            Change change, String ifMatch, String idempotencyKey) {
        SessionId id = address(store, key);
        Sessions.ChangeRequest request = new Sessions.ChangeRequest(change, RequestHeaders.ifMatch(ifMatch),
                idempotency(idempotencyKey, method, path, body));
        return deadline.bound(sessions.change(id, request)).map(this::respond);
    }

    private RestResponse<SessionView> respond(Written written) {
        Session session = written.session();
        RestResponse.ResponseBuilder<SessionView> response = session == null || written.status() == 204
                ? RestResponse.ResponseBuilder.create(written.status())
                : RestResponse.ResponseBuilder.<SessionView>create(written.status())
                        .entity(SessionView.of(session, sessions.expiresAt(session)))
                        .header(HttpHeaders.ETAG, RequestHeaders.etag(session.version()));
        if (written.replayed()) {
            response.header(IDEMPOTENT_REPLAYED, "true");
        }
        if (written.status() == 201) {
            response.location(URI.create("/v1/stores/" + session.id().store() + "/sessions/" + session.id().key()));
        }
        return response.build();
    }

    private Idempotency idempotency(String key, String method, String path, Object body) {
        if (key == null) {
            return null; // the body is written back canonically only when a fingerprint is needed
        }
        try {
            return RequestHeaders.idempotency(key, method, path, body == null ? "" : json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed request body can always be written back", e);
        }
    }

    private SessionId address(String store, String key) {
        try {
            return access.check(new SessionId(store, key));
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalidRequest(e.getMessage());
        }
    }

    private static String segment(String name, String value, Pattern pattern) {
        if (!pattern.matcher(value).matches()) {
            throw ApiProblem.invalidRequest(name + " must match " + pattern.pattern());
        }
        return value;
    }

    private static <T> T required(T body) {
        if (body == null) {
            throw ApiProblem.invalidRequest("this request needs a JSON body");
        }
        return body;
    }

    /** The first {@code X-Forwarded-For} hop when present and an IP address, else the peer address. */
    private static String clientAddress(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        String first = forwarded == null ? "" : forwarded.split(",", 2)[0].trim();
        if (IP.matcher(first).matches()) {
            return first;
        }
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
