package com.redfour.shopping.db;

/**
 * The database could not serve a read or write now (down, unreachable, saturated, or a statement
 * cancelled by its timeout). Raised at the store boundary only, so that nothing above it has to
 * tell a database failure from a bug; the HTTP edge answers it 503 with {@code Retry-After}.
 */
public final class StoreUnavailable extends RuntimeException {

    StoreUnavailable(Throwable cause) {
        super("the session store is unavailable: " + cause, cause, false, false);
    }
}
