package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link RicherCartsTest} (the v1.1 "Richer carts" contract) against the packaged application. */
@QuarkusIntegrationTest
public class RicherCartsIT extends RicherCartsTest {
}
