package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link SessionApiTest} against the packaged application (the jar here; a native binary where one is built). */
@QuarkusIntegrationTest
public class SessionApiIT extends SessionApiTest {
}
