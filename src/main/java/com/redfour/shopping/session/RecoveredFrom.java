package com.redfour.shopping.session;

import java.time.Instant;

/**
 * Where a session's cart came from when it was given back by a cart recovery link: when, which link,
 * and the link's campaign ({@code null} when it had none).
 */
public record RecoveredFrom(Instant at, String linkId, String campaign) {
}
