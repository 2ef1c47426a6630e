package com.redfour.shopping.session.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.http.RequestGate;
import com.redfour.shopping.http.ValidBody;
import com.redfour.shopping.http.WithDeadline;
import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.RecoveryToken;
import com.redfour.shopping.session.store.SessionSettings;
import com.redfour.shopping.session.write.Outcome;
import com.redfour.shopping.session.write.RecoveryLinks;
import com.redfour.shopping.session.write.Sessions;
import com.redfour.shopping.session.write.Write;
import com.redfour.shopping.session.write.WriteRequest;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A recovery link opened: its preview (which changes nothing: mail scanners open links) and the
 * restore that gives its cart to the shopper's current session.
 */
@Path("/v1/stores/{store}/recovery/{token}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@WithDeadline
@Tag(name = "Cart recovery", description = "Links that give an abandoned cart back on any device")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
public class RecoveryResource {

    private static final Outcome.Refused UNKNOWN_LINK = new Outcome.LinkRefused(Outcome.LinkRefusal.UNKNOWN);

    private final RecoveryLinks links;
    private final Sessions sessions;
    private final Answers answers;
    private final ValidBody validBody;
    private final ObjectMapper json;
    private final int maxLines;

    public RecoveryResource(RecoveryLinks links, Sessions sessions, Answers answers, ValidBody validBody, ObjectMapper json,
            SessionSettings settings) {
        this.links = links;
        this.sessions = sessions;
        this.answers = answers;
        this.validBody = validBody;
        this.json = json;
        this.maxLines = settings.maxLines();
    }

    @GET
    @Operation(summary = "Preview a recovery link", description = "The cart only (lines, discounts, totals; never the session key, member, ip, "
            + "note, attributes or log), and whether the link is ready, used or expired; a used or expired link shows an empty cart. "
            + "Reading it changes nothing, anywhere. Unknown, altered or another store's token: 404.")
    @APIResponse(responseCode = "200", description = "The preview",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecoveryViews.Preview.class)))
    public Uni<RestResponse<RecoveryViews.Preview>> preview(@PathParam("store") String store, @PathParam("token") String token) {
        return links.preview(store, token).map(found -> found
                .map(preview -> RestResponse.ResponseBuilder.ok(RecoveryViews.Preview.of(preview))
                        .header(HttpHeaders.CACHE_CONTROL, RecoveryLinksResource.NO_STORE).build())
                .orElseGet(() -> Answers.problem(UNKNOWN_LINK)));
    }

    @POST
    @Path("/restore")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Restore a recovery link's cart", description = "Into the session `into` (created first if absent, in the cart's "
            + "currency): its lines, discounts, note and attributes merged in as in a sign-in merge; in the same transaction the recovered "
            + "session becomes merged and the link is used. `into` gains recoveredFrom, its log says \"Restored from a recovery link\", its "
            + "event is session.recovered. Idempotency-Key works as on any change (kept on `into`); If-Match applies to `into`.")
    @APIResponse(responseCode = "200", description = "The session `into`, now holding the recovered cart",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SessionView.class)))
    @APIResponse(responseCode = "409", description = "session-closed: into is closed or merged; nothing-to-recover: the recovered "
            + "session has no line left")
    @APIResponse(responseCode = "410", description = "recovery-link-used: a restore used the link, or its cart was checked out or "
            + "merged; recovery-link-expired: the link expired, or so did its session")
    @APIResponse(responseCode = "422", description = "validation-failed: into is not a session key, is the recovered session itself, "
            + "or its currency is not the cart's; idempotency-key-reused: this Idempotency-Key came with a different request on into")
    public Uni<RestResponse<SessionView>> restore(@PathParam("store") String store, @PathParam("token") String token,
            @Parameter(description = "* or strong entity tags such as \"4\": restore only if `into` is at that version, else 412")
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Parameter(description = "Makes the restore exactly-once for 24 hours: a repeat is answered as the first was, with Idempotent-Replayed: true")
            @HeaderParam(RequestGate.IDEMPOTENCY_KEY) String idempotencyKey,
            @Context HttpServerRequest http,
            Bodies.Restore body) {
        Bodies.Restore restore = validBody.required(body);
        SessionId into = PathSegments.sessionId(store, restore.into());
        if (!RecoveryToken.isWellFormed(token)) {
            return Uni.createFrom().item(Answers.problem(UNKNOWN_LINK));
        }
        Arrival arrival = new Arrival("/", null, SessionResource.clientAddress(http), null);
        WriteRequest request = new WriteRequest(into, new Write.Restore(RecoveryToken.hash(token), arrival, maxLines),
                RequestHeaders.ifMatch(ifMatch), RequestHeaders.idempotency(idempotencyKey, "POST",
                        "/recovery/" + token + "/restore", canonical(restore)));
        return sessions.write(request).map(answers::respond);
    }

    private String canonical(Bodies.Restore body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed request body can always be written back", e);
        }
    }
}
