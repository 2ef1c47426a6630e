package com.redfour.shopping.session.api;

import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.OptionalBody;
import com.redfour.shopping.http.ProblemMapper;
import com.redfour.shopping.http.ProblemType;
import com.redfour.shopping.http.WithDeadline;
import com.redfour.shopping.session.store.RecoveryLinkTable;
import com.redfour.shopping.session.store.RecoverySettings;
import com.redfour.shopping.session.write.Outcome;
import com.redfour.shopping.session.write.RecoveryLinks;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import static com.redfour.shopping.session.api.SessionView.timestamp;

/**
 * A session's cart recovery links: make one to put in an abandoned-cart e-mail, list them. Making a
 * link is not a change: the session's version does not move.
 */
@Path("/v1/stores/{store}/sessions/{key}/recovery-links")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@WithDeadline
@Tag(name = "Cart recovery", description = "Links that give an abandoned cart back on any device")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
public class RecoveryLinksResource {

    static final Duration MIN_TTL = Duration.ofHours(1);
    static final Duration MAX_TTL = Duration.ofDays(30);
    static final Duration DEFAULT_TTL = Duration.ofDays(7);
    static final String NO_STORE = "no-store";

    private final RecoveryLinks links;
    private final OptionalBody optionalBody;
    private final java.util.Optional<String> urlTemplate;

    public RecoveryLinksResource(RecoveryLinks links, OptionalBody optionalBody, RecoverySettings settings) {
        this.links = links;
        this.optionalBody = optionalBody;
        this.urlTemplate = settings.url();
    }

    @POST
    @Operation(summary = "Make a recovery link", description = "For an open session with at least one line. The token is shown only in this "
            + "response (Cache-Control: no-store) and stored only as a hash; url is REDFOUR_RECOVERY_URL with the token put in (null when not "
            + "configured). At most 10 unexpired links per session. Not a change: the version does not move, and Idempotency-Key has no "
            + "effect here (a retry makes another link; the limit bounds them).")
    @APIResponse(responseCode = "201", description = "The link, with its token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecoveryViews.NewLink.class)))
    @APIResponse(responseCode = "409", description = "nothing-to-recover: the session is not open or has no line; too-many-links: 10 unexpired links already")
    @APIResponse(responseCode = "422", description = "validation-failed: ttl not an ISO-8601 duration within PT1H..P30D, or campaign not ^[A-Za-z0-9_.-]{1,64}$, or an unknown field")
    public Uni<Response> make(@BeanParam SessionAddress at,
            @RequestBody(required = false, description = "Every field optional, and so is the body",
                    content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Bodies.NewRecoveryLink.class)))
            byte[] body,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        Bodies.NewRecoveryLink given = optionalBody.read(body, contentType, Bodies.NewRecoveryLink.class)
                .orElseGet(() -> new Bodies.NewRecoveryLink(null, null));
        Duration ttl = ttl(given.ttl());
        return links.make(at.id(), given.campaign(), ttl).map(issued -> {
            RecoveryLinkTable.Made made = issued.made();
            if (made instanceof RecoveryLinkTable.Link link) {
                String url = urlTemplate.map(template -> template.replace("{token}", issued.token())).orElse(null);
                return Response.status(Response.Status.CREATED).header(HttpHeaders.CACHE_CONTROL, NO_STORE)
                        .entity(new RecoveryViews.NewLink(link.link().id(), issued.token(), url, link.link().campaign(),
                                timestamp(link.link().expiresAt()))).build();
            }
            if (made instanceof RecoveryLinkTable.NoSession none) {
                return Answers.problem(none.expired() ? new Outcome.Expired() : new Outcome.NotFound()).toResponse();
            }
            if (made instanceof RecoveryLinkTable.TooMany) {
                return ProblemMapper.respond(ProblemType.TOO_MANY_LINKS.problem(
                        "the session has " + RecoveryLinks.MAX_LIVE + " unexpired recovery links"));
            }
            return ProblemMapper.respond(ProblemType.NOTHING_TO_RECOVER.problem("only an open session with at least one line has a cart to recover"));
        });
    }

    @GET
    @Operation(summary = "A session's recovery links", description = "Oldest first: id, campaign, createdAt, expiresAt, usedAt; never the token. "
            + "Expired links that were never used are dropped when the next link is made.")
    @APIResponse(responseCode = "200", description = "The links",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RecoveryViews.Links.class)))
    public Uni<RestResponse<RecoveryViews.Links>> list(@BeanParam SessionAddress at) {
        return links.list(at.id()).map(listing -> listing.refused().map(Answers::<RecoveryViews.Links>problem)
                .orElseGet(() -> RestResponse.ok(new RecoveryViews.Links(
                        listing.links().stream().map(RecoveryViews.Listed::of).toList()))));
    }

    /** The given ttl, or the default; a 422 naming {@code ttl} when it is no ISO-8601 duration within the bounds. */
    static Duration ttl(String given) {
        if (given == null) {
            return DEFAULT_TTL;
        }
        Duration ttl;
        try {
            ttl = Duration.parse(given);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalidField("ttl", "must be an ISO-8601 duration such as P7D or PT12H");
        }
        if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
            throw ApiProblem.invalidField("ttl", "must be between PT1H and P30D");
        }
        return ttl;
    }
}
