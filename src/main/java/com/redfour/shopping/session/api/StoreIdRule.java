package com.redfour.shopping.session.api;

import com.redfour.shopping.auth.StoreAccess;
import com.redfour.shopping.session.SessionId;
import jakarta.inject.Singleton;

/** The session model's store id rule, for the store access check of every {@code /v1/stores/{store}} request. */
@Singleton
class StoreIdRule implements StoreAccess.StoreIds {

    @Override
    public boolean isWellFormed(String store) {
        return SessionId.isValidStore(store);
    }
}
