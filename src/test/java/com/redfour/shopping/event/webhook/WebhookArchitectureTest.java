package com.redfour.shopping.event.webhook;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** Webhook delivery's rooms: the courier and its queue know nothing of HTTP resources, and nothing else knows them. */
class WebhookArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.redfour.shopping");

    /** Delivery is storage and outbound HTTP; serving the subscription API is the api package's business. */
    @Test
    void deliveryNeverImportsTheApiOrServerHttp() {
        noClasses().that().resideInAPackage("com.redfour.shopping.event.webhook")
                .should().dependOnClassesThat().resideInAnyPackage("com.redfour.shopping.event.webhook.api..",
                        "com.redfour.shopping.http..", "jakarta.ws.rs..", "org.jboss.resteasy..")
                .check(MAIN);
    }

    /** Sessions and their events are recorded without knowing that webhooks exist. */
    @Test
    void sessionsAndEventReadingNeverImportWebhooks() {
        noClasses().that().resideInAnyPackage("com.redfour.shopping.session..", "com.redfour.shopping.event.store..",
                        "com.redfour.shopping.event.api..")
                .should().dependOnClassesThat().resideInAPackage("com.redfour.shopping.event.webhook..")
                .check(MAIN);
    }
}
