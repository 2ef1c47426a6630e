package com.redfour.shopping.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Optional;

/**
 * Reads a body that may be left out (create a session, close it): no body is fine, but a body that
 * is there must be JSON (else 415), well-formed (else 400) and valid (else 422), like any other.
 */
@Singleton
public class OptionalBody {

    private final ObjectMapper json;
    private final ValidBody validBody;

    public OptionalBody(ObjectMapper json, ValidBody validBody) {
        this.json = json;
        this.validBody = validBody;
    }

    public <T> Optional<T> read(byte[] body, String contentType, Class<T> type) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        if (contentType == null || !isJson(contentType)) {
            throw new ApiProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "request bodies must be application/json", null);
        }
        T value;
        try {
            value = json.readValue(body, type);
        } catch (IOException e) {
            throw e instanceof com.fasterxml.jackson.core.JacksonException jackson
                    ? new UnreadableBody(jackson)
                    : ApiProblem.invalidRequest("the body could not be read");
        }
        return Optional.ofNullable(validBody.valid(value));
    }

    private static boolean isJson(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return mediaType.equals("application/json");
    }

    /** A JSON error while reading an optional body, answered like one in any other body. */
    static final class UnreadableBody extends RuntimeException {
        private final com.fasterxml.jackson.core.JacksonException cause;

        UnreadableBody(com.fasterxml.jackson.core.JacksonException cause) {
            super(cause.getOriginalMessage(), null, false, false);
            this.cause = cause;
        }

        com.fasterxml.jackson.core.JacksonException jackson() {
            return cause;
        }
    }
}
