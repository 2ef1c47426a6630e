package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ConcurrencyTest} against the packaged application (the jar here; a native binary where one is built). */
@QuarkusIntegrationTest
public class ConcurrencyIT extends ConcurrencyTest {
}
