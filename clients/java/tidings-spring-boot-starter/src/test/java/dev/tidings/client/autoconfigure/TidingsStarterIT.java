package dev.tidings.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tidings.client.Accepted;
import dev.tidings.client.LocalPublisher;
import dev.tidings.client.Tidings;
import dev.tidings.common.auth.Principal;
import dev.tidings.common.auth.TokenIssuer;
import dev.tidings.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configured client sends to the real publisher API on a real broker, with a fixed token
 * and with OAuth2 client credentials from a token endpoint that issues tokens the publisher accepts.
 */
@ExtendWith(KafkaBrokerExtension.class)
class TidingsStarterIT {

    static LocalPublisher publisher;

    HttpServer authorizationServer;
    final List<String> tokenRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPublisher() {
        // This module's tests have Spring Security on the classpath, for the OAuth2 client; the publisher
        // does not use it, and would answer 403 to everything with its defaults.
        publisher = new LocalPublisher(Map.of("spring.autoconfigure.exclude", String.join(",",
                TidingsAutoConfiguration.class.getName(),
                "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
                "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
                "org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration",
                "org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientWebSecurityAutoConfiguration")));
    }

    @AfterAll
    static void stopPublisher() {
        publisher.close();
    }

    @BeforeEach
    void startAuthorizationServer() throws IOException {
        TokenIssuer issuer = new TokenIssuer(LocalPublisher.SECRET);
        authorizationServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        authorizationServer.createContext("/oauth2/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String basic = "Basic " + Base64.getEncoder().encodeToString("grades:s3cret".getBytes(StandardCharsets.UTF_8));
            if (!form.contains("grant_type=client_credentials")
                    || !basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            tokenRequests.add(form);
            String token = issuer.issue("grades", Set.of(), Set.of(Principal.SCOPE_PUBLISH), Duration.ofMinutes(10));
            answer(exchange, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":600}");
        });
        authorizationServer.start();
    }

    @AfterEach
    void stopAuthorizationServer() {
        authorizationServer.stop(0);
    }

    @Test
    void theClientBeanSendsWithTheConfiguredToken() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TidingsAutoConfiguration.class))
                .withPropertyValues("tidings.publisher.url=" + publisher.url(),
                        "tidings.publisher.token=" + publisher.token("starter-service"))
                .run(context -> {
                    Accepted accepted = context.getBean(Tidings.class).toUser("alice").event("grade.published")
                            .payload(Map.of("grade", "A")).send();

                    List<ConsumerRecord<String, dev.tidings.schema.Notification>> records =
                            publisher.recordsWithId(accepted.id());
                    assertThat(records).hasSize(1);
                    assertThat(records.get(0).value().getSource()).isEqualTo("starter-service");
                });
    }

    @Test
    void theClientBeanSendsWithOAuth2ClientCredentialsAndKeepsTheToken() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(OAuth2ClientAutoConfiguration.class, TidingsAutoConfiguration.class))
                .withPropertyValues("tidings.publisher.url=" + publisher.url(),
                        "tidings.publisher.oauth2.registration-id=tidings",
                        "spring.security.oauth2.client.registration.tidings.client-id=grades",
                        "spring.security.oauth2.client.registration.tidings.client-secret=s3cret",
                        "spring.security.oauth2.client.registration.tidings.authorization-grant-type=client_credentials",
                        "spring.security.oauth2.client.provider.tidings.token-uri=http://127.0.0.1:"
                                + authorizationServer.getAddress().getPort() + "/oauth2/token")
                .run(context -> {
                    Tidings tidings = context.getBean(Tidings.class);

                    Accepted first = tidings.toGroup("Class:201901").event("grade.published").payload(Map.of("n", 1)).send();
                    Accepted second = tidings.toGroup("Class:201901").event("grade.published").payload(Map.of("n", 2)).send();

                    assertThat(tokenRequests).as("one token, kept while it lasts").hasSize(1);
                    assertThat(publisher.recordsWithId(first.id())).singleElement()
                            .satisfies(record -> assertThat(record.value().getSource()).isEqualTo("grades"));
                    assertThat(publisher.recordsWithId(second.id())).hasSize(1);
                });
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
