package com.redfour.shopping.session.api;

import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.ValidBody;
import com.redfour.shopping.http.WithDeadline;
import com.redfour.shopping.session.Attributes;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.Discount;
import com.redfour.shopping.session.store.SessionSettings;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import java.util.Map;

/**
 * The session's cart endpoints: its lines (by sku or by line id) and its discount codes. Each maps its
 * request to one {@link Change}; the rest of the session's endpoints are {@link SessionResource}'s.
 */
@Path("/v1/stores/{store}/sessions/{key}")
@Produces(MediaType.APPLICATION_JSON)
@Authenticated
@WithDeadline
@Tag(name = "Sessions", description = "One customer's shopping session in one store")
@SecurityRequirement(name = ApiDocumentation.API_KEY)
@ApiDocumentation.SessionDocument
public class CartResource {

    private final SessionWrites writes;
    private final ValidBody validBody;
    private final int maxLines;

    public CartResource(SessionWrites writes, ValidBody validBody, SessionSettings settings) {
        this.writes = writes;
        this.validBody = validBody;
        this.maxLines = settings.maxLines();
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
        AttributesPatch.check(attributes, Attributes.MAX_PER_LINE);
        int quantity = item.quantity() == null ? 1 : item.quantity().intValue();
        return writes.change(at, new Change.SelectItem(item.sku(), item.name(), item.price(), quantity, attributes, maxLines), item);
    }

    @PATCH
    @Path("/lines/{lineId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a line's quantity, by line id", description = "0..999; 0 removes the line. 404 if there is no such line.")
    public Uni<RestResponse<SessionView>> changeLineQuantity(@BeanParam SessionRequest at, @PathParam("lineId") String lineId,
            Bodies.ChangeQuantity body) {
        Bodies.ChangeQuantity change = validBody.required(body);
        return writes.change(at, new Change.ChangeLineQuantity(lineId, change.quantity().intValue()), change);
    }

    @DELETE
    @Path("/lines/{lineId}")
    @Operation(summary = "Remove a line, by line id", description = "404 if there is no such line.")
    public Uni<RestResponse<SessionView>> removeLine(@BeanParam SessionRequest at, @PathParam("lineId") String lineId) {
        return writes.change(at, new Change.RemoveLine(lineId), null);
    }

    @PATCH
    @Path("/items/{sku}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a line's quantity", description = "0..999; 0 removes the line. 404 if there is no such line; 409 ambiguous-line when several lines carry the sku (use /lines/{lineId}).")
    public Uni<RestResponse<SessionView>> changeQuantity(@BeanParam SessionRequest at, @PathParam("sku") String sku,
            Bodies.ChangeQuantity body) {
        Bodies.ChangeQuantity change = validBody.required(body);
        return writes.change(at, new Change.ChangeQuantity(sku, change.quantity().intValue()), change);
    }

    @DELETE
    @Path("/items/{sku}")
    @Operation(summary = "Remove a line", description = "404 if there is no such line; 409 ambiguous-line when several lines carry the sku (use /lines/{lineId}).")
    public Uni<RestResponse<SessionView>> removeItem(@BeanParam SessionRequest at, @PathParam("sku") String sku) {
        return writes.change(at, new Change.RemoveItem(sku), null);
    }

    @DELETE
    @Path("/items")
    @Operation(summary = "Remove every line", description = "")
    public Uni<RestResponse<SessionView>> clearItems(@BeanParam SessionRequest at) {
        return writes.change(at, new Change.ClearItems(), null);
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
        return writes.change(at, new Change.ApplyDiscount(discount), given);
    }

    @DELETE
    @Path("/discounts/{code}")
    @Operation(summary = "Remove a discount code", description = "404 if it is not applied.")
    public Uni<RestResponse<SessionView>> removeDiscount(@BeanParam SessionRequest at, @PathParam("code") String code) {
        return writes.change(at, new Change.RemoveDiscount(code), null);
    }

}
