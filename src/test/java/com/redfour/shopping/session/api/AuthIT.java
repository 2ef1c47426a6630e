package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link AuthTest} against the packaged application (the jar here; a native binary where one is built). */
@QuarkusIntegrationTest
public class AuthIT extends AuthTest {
}
