package com.redfour.shopping.session.api;

import com.redfour.shopping.http.Problem;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The OpenAPI description's front matter (served at {@code /q/openapi}); the paths come from the
 * resources. An {@link Application} because that is where OpenAPI looks for it; it adds no path and
 * selects no resources, so every resource is served as before.
 */
@OpenAPIDefinition(components = @Components(schemas = @Schema(name = "Problem", implementation = Problem.class)),
        info = @Info(title = "Red:4 shopping sessions", version = "1.2",
        description = """
                Keeps each customer's shopping session — where they landed, who they are, what they selected, \
                which discounts apply, and a log of what happened — and answers with exact totals.

                Every session response carries `ETag: "<version>"`. Send `If-Match: "<version>"` on a change to \
                apply it only at that version (else 412 with `currentVersion`); without it, a change that loses a \
                race is re-applied on the server, and only when its retries run out is it 409 with `Retry-After`. \
                Any change may carry `Idempotency-Key` (1..255 visible ASCII): a repeat within 24 hours is not \
                applied again and is answered with the first status and `Idempotent-Replayed: true`; the same key \
                with a different method, path or body is 422 `idempotency-key-reused`.

                Errors are `application/problem+json` (RFC 9457). Request bodies are limited to 16 KiB (413) and \
                must be `application/json` (415; `PATCH /attributes` also takes `application/merge-patch+json`); unknown fields are \
                422; malformed JSON, a wrong JSON type, a key given twice in one object, or text holding U+0000 is 400. \
                Every operation lists each problem status it can answer, and the problem types behind it.

                v1.1 ("Richer carts"): lines carry `lineId` and `attributes` (a line is its sku and attributes); \
                `/lines/{lineId}`; the v1 sku endpoints answer 409 `ambiguous-line` when several lines carry the sku; \
                a note and session attributes; first/last-touch `attribution` with utm tags and a click id parsed from \
                the landing URL; `warnings` on the response to the change that caused them; 410 `session-expired` \
                for an expired session not yet purged (404 stays for one that never existed or was deleted).

                v1.2 ("Cart recovery links"): `POST /sessions/{key}/recovery-links` makes a link for an abandoned-cart                 e-mail (its token shown once, stored only as a hash); `GET /recovery/{token}` previews the cart and                 changes nothing; `POST /recovery/{token}/restore` gives the cart to the shopper's current session in                 one atomic step (the recovered session becomes merged; `recoveredFrom`; event `session.recovered`).                 A token that is unknown, altered, malformed or another store's is 404."""))
@SecurityScheme(securitySchemeName = ApiDocumentation.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The store's API key: Authorization: Bearer <key>. A key reaches only its own store.")
public class ApiDocumentation extends Application {

    static final String API_KEY = "apiKey";

    /**
     * The answer of every session operation: the session document with its ETag. The problems each
     * operation can answer are added by {@link ApiDocumentFilter}, from what the operation is.
     */
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Retention(RetentionPolicy.RUNTIME)
    @APIResponse(responseCode = "200", description = "The session document",
            headers = {@Header(name = "ETag", description = "\"<version>\"", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = "Idempotent-Replayed", description = "true when this answers a repeated Idempotency-Key", schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class)))
    public @interface SessionDocument {
    }
}
