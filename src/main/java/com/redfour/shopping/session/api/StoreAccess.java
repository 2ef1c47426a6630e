package com.redfour.shopping.session.api;

import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.WriteRefused;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * Store isolation: an API key reaches only its own store's sessions. Another store's path is
 * answered exactly as an absent session is (404), so nothing about the other store leaks.
 */
@RequestScoped
public class StoreAccess {

    private final SecurityIdentity identity;

    public StoreAccess(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The session's address, if the caller's key belongs to its store. */
    public SessionId check(SessionId id) {
        checkStore(id.store());
        return id;
    }

    /** Passes if the caller's key belongs to {@code store}; else fails as not found. */
    public void checkStore(String store) {
        if (identity.isAnonymous() || !identity.getPrincipal().getName().equals(store)) {
            throw WriteRefused.notFound();
        }
    }
}
