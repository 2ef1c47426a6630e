package com.redfour.shopping.session;

import java.time.Instant;

/** One line of the session's history: when, and what happened. */
public record LogEntry(Instant at, String entry) {
}
