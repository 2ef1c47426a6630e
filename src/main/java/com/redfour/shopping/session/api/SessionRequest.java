package com.redfour.shopping.session.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.http.RequestGate;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.write.Idempotency;
import com.redfour.shopping.session.write.Write;
import com.redfour.shopping.session.write.WriteRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * What every write to one session brings besides its body: the session's address, {@code If-Match}
 * and {@code Idempotency-Key}, and the request itself, from which the idempotency fingerprint is
 * derived (method, path below the session, canonical body), so no endpoint writes one by hand.
 */
public class SessionRequest extends SessionAddress {

    @HeaderParam(HttpHeaders.IF_MATCH)
    @Parameter(description = "* or strong entity tags such as \"4\": apply only at that version, else 412 with currentVersion")
    String ifMatch;

    @HeaderParam(RequestGate.IDEMPOTENCY_KEY)
    @Parameter(description = "Makes a change exactly-once for 24 hours: a repeat is answered as the first was, with Idempotent-Replayed: true",
            schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,255}$"))
    String idempotencyKey;

    /** The write as the store takes it; {@code body} is the parsed request body (null when none). */
    WriteRequest write(SessionId id, Write write, Object body, ObjectMapper json) {
        return new WriteRequest(id, write, RequestHeaders.ifMatch(ifMatch), idempotency(body, json));
    }

    private Idempotency idempotency(Object body, ObjectMapper json) {
        if (idempotencyKey == null) {
            return null; // the body is written back canonically only when a fingerprint is needed
        }
        try {
            String canonical = body == null ? "" : json.writeValueAsString(body);
            return RequestHeaders.idempotency(idempotencyKey, http.method().name(), pathBelowSession(), canonical);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed request body can always be written back", e);
        }
    }

    /** The matched path below {@code /v1/stores/{store}/sessions/{key}}, decoded, without a trailing slash. */
    private String pathBelowSession() {
        String path = uri.getPath();
        String session = "/v1/stores/" + store + "/sessions/" + key;
        String below = path.startsWith(session) ? path.substring(session.length()) : path;
        return below.endsWith("/") ? below.substring(0, below.length() - 1) : below;
    }
}
