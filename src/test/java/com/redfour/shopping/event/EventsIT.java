package com.redfour.shopping.event;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link EventsTest} against the packaged application (the jar; the native executable where one is built). */
@QuarkusIntegrationTest
class EventsIT extends EventsTest {
}
