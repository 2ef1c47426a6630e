package com.redfour.shopping.auth;

import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;

/**
 * Store isolation: an API key reaches only its own store's sessions. Another store's path is
 * answered exactly as an absent session is (404), so nothing about the other store leaks.
 */
@RequestScoped
public class StoreAccess {

    /** The detail of every 404 for a session, so that another store's session reads as an absent one. */
    public static final String NOT_FOUND = "no such session";

    private final SecurityIdentity identity;

    public StoreAccess(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** Passes if the caller's key belongs to {@code store}; else fails as not found. */
    public void checkStore(String store) {
        if (identity.isAnonymous() || !identity.getPrincipal().getName().equals(store)) {
            throw new ApiProblem(ProblemType.NOT_FOUND, NOT_FOUND, null);
        }
    }
}
