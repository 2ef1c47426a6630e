package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Session;

/**
 * What a request to change a session comes back with.
 *
 * @param session the session right after this request's change (for a replay: as it is now)
 * @param status the HTTP status to answer with (for a replay: the first answer's)
 * @param replayed whether this repeated an {@code Idempotency-Key} and was not applied again
 */
public record Written(Session session, int status, boolean replayed) {
}
