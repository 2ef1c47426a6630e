package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link MemberTest} against the packaged application (the jar here; a native binary where one is built). */
@QuarkusIntegrationTest
public class MemberIT extends MemberTest {
}
