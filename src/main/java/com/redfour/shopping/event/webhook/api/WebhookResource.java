package com.redfour.shopping.event.webhook.api;

import com.redfour.shopping.auth.StoreAccess;
import com.redfour.shopping.db.Guarded;
import com.redfour.shopping.event.store.EventTable;
import com.redfour.shopping.event.webhook.Destinations;
import com.redfour.shopping.event.webhook.Signature;
import com.redfour.shopping.event.webhook.Subscriptions;
import com.redfour.shopping.event.webhook.WebhookUrl;
import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.ProblemType;
import com.redfour.shopping.http.ValidBody;
import com.redfour.shopping.http.WithDeadline;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.List;

/** Webhook subscriptions of a store: saved, listed, removed, and their deliveries listed and retried. */
@Path("/v1/stores/{store}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@WithDeadline
@Guarded
@StoreAccess.AbsentAs(WebhookResource.NO_SUCH_WEBHOOK)
@Tag(name = "Webhooks", description = "Signed (Standard Webhooks) deliveries of session events to your endpoints")
@SecurityRequirement(name = "apiKey")
public class WebhookResource {

    static final String NO_SUCH_WEBHOOK = "no such webhook";
    private static final String NO_SUCH_DELIVERY = "no such delivery";

    private final Subscriptions subscriptions;
    private final Destinations destinations;
    private final ValidBody validBody;

    public WebhookResource(Subscriptions subscriptions, Destinations destinations, ValidBody validBody) {
        this.subscriptions = subscriptions;
        this.destinations = destinations;
        this.validBody = validBody;
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create or replace a webhook subscription",
            description = "201 with the subscription and its secret (whsec_..., shown only here) when created; 200 when "
                    + "replaced (the secret is kept and not shown). `types` is [\"*\"] (the default) or a list of event "
                    + "types. A URL whose host resolves to a loopback, private, link-local or unique-local address is "
                    + "refused (422) unless REDFOUR_WEBHOOKS_ALLOW_PRIVATE=true.")
    @APIResponse(responseCode = "201", description = "Created; the body carries the secret")
    @APIResponse(responseCode = "200", description = "Replaced")
    public Uni<RestResponse<WebhookViews.Webhook>> save(@PathParam("store") String store, @PathParam("id") String id,
            @Context UriInfo uri, WebhookBodies.Subscribe body) {
        validBody.valid(body);
        WebhookParams.checkId(id);
        if (body == null) {
            throw ApiProblem.invalidRequest("this request needs a JSON body");
        }
        List<String> types = WebhookParams.types(body.types());
        WebhookUrl url;
        try {
            url = WebhookUrl.parse(body.url());
        } catch (WebhookUrl.Invalid e) {
            throw ApiProblem.invalidField("url", e.getMessage());
        }
        return destinations.check(url).flatMap(checked -> {
            if (checked.refused()) {
                return Uni.createFrom().failure(ApiProblem.invalidField("url", checked.refusal()));
            }
            return subscriptions.save(store, id, body.url(), types, body.description(), Signature.newSecret());
        }).map(saved -> saved.created()
                ? RestResponse.ResponseBuilder.<WebhookViews.Webhook>created(uri.getAbsolutePath())
                        .entity(WebhookViews.Webhook.of(saved.subscription(), saved.secret())).build()
                : RestResponse.ok(WebhookViews.Webhook.of(saved.subscription(), null)));
    }

    @GET
    @Operation(summary = "The store's webhook subscriptions, with their delivery state")
    public Uni<WebhookViews.Webhooks> list(@PathParam("store") String store) {
        return subscriptions.list(store).map(list -> new WebhookViews.Webhooks(
                list.stream().map(s -> WebhookViews.Webhook.of(s, null)).toList()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One webhook subscription, with its delivery state",
            description = "delivery: pending and failed counts, the last success, the last failed attempt with the "
                    + "receiver's status (null when no HTTP answer came) and the reason.")
    public Uni<WebhookViews.Webhook> get(@PathParam("store") String store, @PathParam("id") String id) {
        WebhookParams.checkId(id);
        return subscriptions.find(store, id)
                .map(found -> WebhookViews.Webhook.of(found.orElseThrow(WebhookResource::noSuchWebhook), null));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a webhook subscription and its undelivered and failed deliveries")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<RestResponse<Void>> delete(@PathParam("store") String store, @PathParam("id") String id) {
        WebhookParams.checkId(id);
        return subscriptions.delete(store, id).map(deleted -> {
            if (!deleted) {
                throw noSuchWebhook();
            }
            return RestResponse.noContent();
        });
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "A subscription's deliveries not yet delivered",
            description = "status=failed lists those given up after the retry window; status=pending those waiting "
                    + "to be sent; without status, both. Oldest event first; page with after=<next>.")
    public Uni<WebhookViews.Deliveries> deliveries(@PathParam("store") String store, @PathParam("id") String id,
            @Parameter(description = "failed or pending") @QueryParam("status") String status,
            @Parameter(description = "an event id: list deliveries after it") @QueryParam("after") String after,
            @Parameter(description = "1..500, default 100") @QueryParam("limit") String limit) {
        WebhookParams.checkId(id);
        List<String> statuses = WebhookParams.statuses(status);
        long from = after == null ? 0 : WebhookParams.eventId(after, "after");
        int size = WebhookParams.limit(limit);
        return subscriptions.find(store, id).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(noSuchWebhook());
            }
            return subscriptions.deliveries(store, id, statuses, from, size);
        }).map(list -> new WebhookViews.Deliveries(
                list.stream().map(d -> WebhookViews.Delivery.of(d, EventTable.formatId(d.eventId()))).toList(),
                list.size() < size ? null : EventTable.formatId(list.get(list.size() - 1).eventId())));
    }

    @POST
    @Path("/{id}/deliveries/{eventId}/retry")
    @Operation(summary = "Send an event to this subscription again",
            description = "A failed delivery goes back to pending, due now, with a fresh retry window; a pending one is "
                    + "made due now; an event already delivered is queued again (while events are kept). 202 with "
                    + "the delivery; 404 if the subscription never had that event.")
    @APIResponse(responseCode = "202", description = "Queued")
    public Uni<RestResponse<WebhookViews.Delivery>> retry(@PathParam("store") String store, @PathParam("id") String id,
            @PathParam("eventId") String eventId) {
        WebhookParams.checkId(id);
        long event = WebhookParams.eventId(eventId, "eventId");
        return subscriptions.retry(store, id, event)
                .flatMap(queued -> queued ? subscriptions.delivery(store, id, event) : Uni.createFrom().item(
                        java.util.Optional.<Subscriptions.Delivery>empty()))
                .map(found -> RestResponse.accepted(WebhookViews.Delivery.of(
                        found.orElseThrow(() -> new ApiProblem(ProblemType.NOT_FOUND, NO_SUCH_DELIVERY, null)),
                        EventTable.formatId(event))));
    }

    private static ApiProblem noSuchWebhook() {
        return new ApiProblem(ProblemType.NOT_FOUND, NO_SUCH_WEBHOOK, null);
    }
}
