package com.redfour.shopping.insight.api;

import com.redfour.shopping.auth.StoreAccess;
import com.redfour.shopping.db.Guarded;
import com.redfour.shopping.http.WithDeadline;
import com.redfour.shopping.insight.store.InsightTable;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Variant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/** A store's insights: how its customers came, and what came of it. */
@Path("/v1/stores/{store}/insights")
@Authenticated
@WithDeadline
@Guarded
@StoreAccess.AbsentAs(InsightsResource.NO_SUCH_STORE)
@Tag(name = "Store insights", description = "The funnel per source: sessions, carts, conversions, abandoned and recovered carts")
@SecurityRequirement(name = "apiKey")
public class InsightsResource {

    static final String NO_SUCH_STORE = "no such store";
    static final String CSV = "text/csv";

    private static final List<Variant> VARIANTS = Variant.mediaTypes(MediaType.APPLICATION_JSON_TYPE,
            MediaType.valueOf(CSV)).build();

    private final InsightTable table;
    private final Clock clock;

    public InsightsResource(InsightTable table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, CSV})
    @Operation(summary = "The store's insights",
            description = "Sessions created on the days from..to (UTC, inclusive; at most 366 days; default the last 30 days "
                    + "including today), credited to their first or last touch and broken down by one dimension: the funnel "
                    + "(sessions, with items, converted, abandoned, recovered) and the money per currency. Exact: every figure is "
                    + "what the sessions' own histories say at the moment of the request, also after sessions are purged (facts are "
                    + "kept REDFOUR_INSIGHTS_RETENTION after their day; a deleted session's are erased). Sessions created before "
                    + "the service's upgrade to contract v1.2 are not counted. `Accept: text/csv` answers the rows as CSV (a "
                    + "header, one line per row, a column per currency amount; the totals are not a line). An invalid "
                    + "parameter is 400 invalid-request.")
    @APIResponse(responseCode = "200", description = "The rows and the totals", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = InsightViews.Insights.class)),
            @Content(mediaType = CSV, schema = @Schema(type = SchemaType.STRING,
                    example = "key,sessions,withItems,converted,abandoned,recovered,conversionRate,revenue.USD,"
                            + "averageOrderValue.USD,abandonedValue.USD\r\nnewsletter,120,48,12,9,1,0.1000,1043.20,86.93,310.00\r\n"))})
    public Uni<RestResponse<Object>> insights(@PathParam("store") String store,
            @Parameter(description = "First day (UTC, YYYY-MM-DD); default 29 days before `to`", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @QueryParam("from") String from,
            @Parameter(description = "Last day (UTC, YYYY-MM-DD), included; default today", schema = @Schema(type = SchemaType.STRING, format = "date"))
            @QueryParam("to") String to,
            @Parameter(description = "What a row stands for (default source): the touch's utm.source, else the referrer's host, else "
                    + "(direct); its utm.medium or utm.campaign, else (none); the referrer's host or (direct); the landing path "
                    + "without query; the creation date; or one row (none)",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"source", "medium", "campaign", "referrer", "landing", "day", "none"}))
            @QueryParam("by") String by,
            @Parameter(description = "The touch credited (default first)", schema = @Schema(type = SchemaType.STRING, enumeration = {"first", "last"}))
            @QueryParam("touch") String touch,
            @Parameter(description = "Rows at most, 1..500 (default 50); the rest is summed into the row (other)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500"))
            @QueryParam("limit") String limit,
            @Context UriInfo uri, @Context Request request) {
        Variant variant = request.selectVariant(VARIANTS);
        if (variant == null) {
            throw new NotAcceptableException();
        }
        var query = InsightParameters.of(store, uri.getQueryParameters(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        return table.read(query).map(InsightViews.Insights::of).map(insights -> variant.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE)
                ? RestResponse.ResponseBuilder.ok((Object) insights, MediaType.APPLICATION_JSON_TYPE).build()
                : RestResponse.ResponseBuilder.ok((Object) InsightViews.csv(insights), CSV + "; charset=utf-8")
                        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"insights-" + store + "-"
                                + insights.from() + "-" + insights.to() + "-" + insights.by() + ".csv\"")
                        .build());
    }
}
