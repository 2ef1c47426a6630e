package com.redfour.shopping.session.store;

/**
 * The other row a sign-in merge writes, in the same transaction as the session signing in: as it was
 * loaded, and as it is to be written.
 */
public record SourceWrite(Row.Live before, Row.Live after) {
}
