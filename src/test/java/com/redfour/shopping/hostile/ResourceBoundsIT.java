package com.redfour.shopping.hostile;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ResourceBoundsTest} against the packaged application (the jar; the native executable where one is built). */
@QuarkusIntegrationTest
class ResourceBoundsIT extends ResourceBoundsTest {
}
