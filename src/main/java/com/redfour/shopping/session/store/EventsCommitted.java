package com.redfour.shopping.session.store;

/** Fired (CDI) after a write that recorded events of {@code store} committed: live readers may look. */
public record EventsCommitted(String store) {
}
