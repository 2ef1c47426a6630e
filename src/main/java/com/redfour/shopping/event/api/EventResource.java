package com.redfour.shopping.event.api;

import com.redfour.shopping.event.store.EventSignal;
import com.redfour.shopping.event.store.EventTable;
import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.Drain;
import com.redfour.shopping.http.WithDeadline;
import com.redfour.shopping.session.Happened;
import com.redfour.shopping.session.SessionId;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * A store's session events: a page at a time ({@code application/json}) or live
 * ({@code text/event-stream}). Both read the same table in the same id order (see {@link EventTable}).
 */
@Path("/v1/stores/{store}/events")
@Authenticated
@WithDeadline
@Tag(name = "Events", description = "What happened to the store's sessions, in order")
@SecurityRequirement(name = "apiKey")
public class EventResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 500;
    /** A stream pages this many events at a time. */
    static final int STREAM_PAGE = MAX_LIMIT;
    private static final Pattern KEY = Pattern.compile(SessionId.KEY_PATTERN);

    private final EventTable table;
    private final EventSignal signal;
    private final Drain drain;
    private final Duration poll;
    private final Duration keepAlive;

    /**
     * @param poll a stream looks for events this often even without a signal (a lost NOTIFY costs at most this)
     * @param keepAlive a comment line this often keeps proxies from closing an idle stream
     */
    public EventResource(EventTable table, EventSignal signal, Drain drain,
            @ConfigProperty(name = "redfour.events.stream-poll", defaultValue = "PT1S") Duration poll,
            @ConfigProperty(name = "redfour.events.keep-alive", defaultValue = "PT15S") Duration keepAlive) {
        this.poll = poll;
        this.keepAlive = keepAlive;
        this.table = table;
        this.signal = signal;
        this.drain = drain;
    }

    /** The query both forms take, checked. */
    record Query(String store, long after, int limit, String session, List<String> types) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A page of the store's events", description = "Oldest first, after the given id. "
            + "Paging with `after` = the previous page's `next` sees every event of the store exactly once, in id order, "
            + "even while changes commit concurrently on many replicas.")
    @APIResponse(responseCode = "200", description = "The events and the id to pass as `after` next",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventPage.class)))
    public Uni<RestResponse<String>> page(@PathParam("store") String store,
            @Parameter(description = "Return events after this id (digits); default: from the oldest kept") @QueryParam("after") String after,
            @Parameter(description = "1..500, default 100") @QueryParam("limit") String limit,
            @Parameter(description = "Only this session's events") @QueryParam("session") String session,
            @Parameter(description = "Only these types, comma-separated") @QueryParam("types") String types) {
        Query query = query(store, after, limit, session, types);
        return table.page(query.store(), query.after(), query.limit(), query.session(), query.types())
                .map(page -> RestResponse.ResponseBuilder.ok(EventPage.json(page), MediaType.APPLICATION_JSON_TYPE).build());
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "The store's events, live", description = "Server-Sent Events: `id:` the event id, `event:` its type, "
            + "`data:` the event. `Last-Event-ID` (or `after`) resumes after that event. A comment line at least every 15 s. "
            + "Events written through any replica arrive within a second.")
    public Multi<OutboundSseEvent> stream(@PathParam("store") String store,
            @QueryParam("after") String after,
            @QueryParam("session") String session,
            @QueryParam("types") String types,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        Query query = query(store, lastEventId != null ? lastEventId : after, null, session, types);
        AtomicLong cursor = new AtomicLong(query.after());
        Multi<String> wakes = Multi.createBy().merging().streams(
                Multi.createFrom().item("start"),
                signal.wakes(query.store()),
                Multi.createFrom().ticks().every(poll).map(tick -> "poll"));
        Multi<OutboundSseEvent> events = wakes.onOverflow().dropPreviousItems()
                .onItem().transformToMultiAndConcatenate(wake -> Multi.createBy().repeating()
                        .uni(() -> table.page(query.store(), cursor.get(), STREAM_PAGE, query.session(), query.types()))
                        .whilst(page -> page.events().size() == STREAM_PAGE)
                        .onItem().transformToIterable(page -> {
                            cursor.set(page.next());
                            return page.events();
                        }))
                .map(event -> sse.newEventBuilder()
                        .id(EventTable.formatId(event.id()))
                        .name(typeOf(event.json()))
                        .data(event.json())
                        .build());
        Multi<OutboundSseEvent> comments = Multi.createFrom().ticks().every(keepAlive)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        // the stream ends when the process is told to stop, so that it does not hold the stop up
        OutboundSseEvent stop = sse.newEventBuilder().comment("stopping").build();
        Multi<OutboundSseEvent> stopping = Multi.createFrom().emitter(emitter -> drain.begun().thenRun(() -> emitter.emit(stop)));
        return Multi.createBy().merging().streams(events, comments, stopping)
                .select().first(event -> event != stop);
    }

    private Query query(String store, String after, String limit, String session, String types) {
        long from = 0;
        if (after != null) {
            OptionalLong parsed = EventTable.parseId(after);
            if (parsed.isEmpty()) {
                throw ApiProblem.invalidRequest("after must be an event id: 1 to 20 digits");
            }
            from = parsed.getAsLong();
        }
        int size = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                size = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > MAX_LIMIT) {
                throw ApiProblem.invalidRequest("limit must be an integer from 1 to " + MAX_LIMIT);
            }
        }
        if (session != null && !KEY.matcher(session).matches()) {
            throw ApiProblem.invalidRequest("session must be a session key: " + KEY.pattern());
        }
        List<String> typeList = List.of();
        if (types != null) {
            typeList = Arrays.stream(types.split(",", -1)).map(String::trim).toList();
            for (String type : typeList) {
                if (!Happened.TYPES.contains(type)) {
                    throw ApiProblem.invalidRequest("types must be a comma-separated list of event types; unknown: " + type);
                }
            }
        }
        return new Query(store, from, size, session, typeList);
    }

    /** The type of a rendered event, which the stored JSON writes second, right after the id. */
    static String typeOf(String json) {
        int start = json.indexOf("\"type\":\"") + 8;
        return json.substring(start, json.indexOf('"', start));
    }
}
