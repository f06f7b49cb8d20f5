package dev.tidings.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import dev.tidings.client.RetryListener;
import dev.tidings.client.RetryPolicy;
import dev.tidings.client.StaticTokenSource;
import dev.tidings.client.Tidings;
import dev.tidings.client.TokenSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;

class TidingsAutoConfigurationTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TidingsAutoConfiguration.class));

    final ApplicationContextRunner withOAuth2 = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(OAuth2ClientAutoConfiguration.class, TidingsAutoConfiguration.class))
            .withPropertyValues(
                    "spring.security.oauth2.client.registration.tidings.client-id=grades",
                    "spring.security.oauth2.client.registration.tidings.client-secret=s3cret",
                    "spring.security.oauth2.client.registration.tidings.authorization-grant-type=client_credentials",
                    "spring.security.oauth2.client.registration.login.client-id=web",
                    "spring.security.oauth2.client.registration.login.authorization-grant-type=authorization_code",
                    "spring.security.oauth2.client.registration.login.redirect-uri=http://127.0.0.1/login",
                    "spring.security.oauth2.client.registration.login.provider=tidings",
                    "spring.security.oauth2.client.provider.tidings.token-uri=http://127.0.0.1:1/token",
                    "spring.security.oauth2.client.provider.tidings.authorization-uri=http://127.0.0.1:1/authorize");

    @Test
    void aUrlAndATokenMakeAClientBeanWithTheDefaultRetryPolicy() {
        runner.withPropertyValues("tidings.publisher.url=https://tidings.example.com/", "tidings.publisher.token=t0ken")
                .run(context -> {
                    assertThat(context).hasSingleBean(Tidings.class).hasSingleBean(TokenSource.class);
                    Tidings tidings = context.getBean(Tidings.class);
                    assertThat(tidings.baseUrl()).isEqualTo(URI.create("https://tidings.example.com"));
                    assertThat(tidings.retryPolicy()).isEqualTo(RetryPolicy.DEFAULT);
                    assertThat(context.getBean(TokenSource.class).token()).isEqualTo("t0ken");
                });
    }

    @Test
    void retrySettingsBecomeTheClientsRetryPolicy() {
        runner.withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080", "tidings.publisher.token=t",
                "tidings.publisher.retry.max-attempts=3", "tidings.publisher.retry.max-elapsed=1m",
                "tidings.publisher.retry.initial-backoff=50ms", "tidings.publisher.retry.max-backoff=2s",
                "tidings.publisher.retry.multiplier=1.5")
                .run(context -> assertThat(context.getBean(Tidings.class).retryPolicy()).isEqualTo(
                        new RetryPolicy(3, Duration.ofMinutes(1), Duration.ofMillis(50), Duration.ofSeconds(2), 1.5)));
    }

    @Test
    void theApplicationsOwnClientWinsAndNeedsNoSettings() {
        runner.withUserConfiguration(OwnClient.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(Tidings.class);
            assertThat(context.getBean(Tidings.class)).isSameAs(context.getBean(OwnClient.class).tidings);
        });
    }

    @Test
    void theApplicationsOwnTokenSourceWinsOverTheTokenSetting() {
        runner.withUserConfiguration(OwnTokenSource.class)
                .withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080", "tidings.publisher.token=ignored")
                .run(context -> {
                    assertThat(context).hasSingleBean(Tidings.class).hasSingleBean(TokenSource.class);
                    assertThat(context.getBean(TokenSource.class).token()).isEqualTo("from-the-vault");
                });
    }

    @Test
    void theApplicationsRetryListenerHearsOfRetries() {
        runner.withUserConfiguration(OwnRetryListener.class)
                .withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080", "tidings.publisher.token=t")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(RetryListener.class));
    }

    @Test
    void aMissingUrlFailsStartUpSayingWhatToSet() {
        runner.withPropertyValues("tidings.publisher.token=t").run(context -> assertFailure(context,
                "tidings.publisher.url is not set", "Set tidings.publisher.url"));
    }

    @Test
    void aMissingTokenFailsStartUpNamingBothWaysToGiveOne() {
        runner.withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080").run(context -> assertFailure(context,
                "neither tidings.publisher.token nor tidings.publisher.oauth2.registration-id", "TokenSource bean"));
    }

    @Test
    void aTokenAndARegistrationTogetherFailStartUp() {
        withOAuth2.withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080", "tidings.publisher.token=t",
                "tidings.publisher.oauth2.registration-id=tidings")
                .run(context -> assertFailure(context, "Both tidings.publisher.token and", "Remove one"));
    }

    @Test
    void aRegistrationIdMakesAnOAuth2ClientCredentialsTokenSource() {
        withOAuth2.withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080",
                "tidings.publisher.oauth2.registration-id=tidings")
                .run(context -> {
                    assertThat(context).hasSingleBean(Tidings.class);
                    assertThat(context.getBean(TokenSource.class)).isInstanceOf(OAuth2ClientCredentialsTokenSource.class)
                            .hasToString("OAuth2ClientCredentialsTokenSource[tidings]");
                });
    }

    @Test
    void anUnknownRegistrationIdFailsStartUpNamingIt() {
        withOAuth2.withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080",
                "tidings.publisher.oauth2.registration-id=nope")
                .run(context -> assertFailure(context, "no OAuth2 client registration has that id",
                        "spring.security.oauth2.client.registration.nope"));
    }

    @Test
    void aRegistrationWithAnotherGrantTypeFailsStartUp() {
        withOAuth2.withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080",
                "tidings.publisher.oauth2.registration-id=login")
                .run(context -> assertFailure(context, "needs client_credentials", "authorization-grant-type=client_credentials"));
    }

    @Test
    void aRegistrationIdWithoutOAuth2OnTheClasspathFailsStartUpSayingWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader(OAuth2AuthorizedClientManager.class))
                .withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080",
                        "tidings.publisher.oauth2.registration-id=tidings")
                .run(context -> assertFailure(context, "OAuth2 client is not on the classpath",
                        "spring-boot-starter-security-oauth2-client"));
    }

    @Test
    void thePropertiesNeverShowTheToken() {
        runner.withPropertyValues("tidings.publisher.url=http://127.0.0.1:8080", "tidings.publisher.token=s3cret")
                .run(context -> assertThat(context.getBean(TidingsPublisherProperties.class).toString())
                        .doesNotContain("s3cret").contains("token=***"));
    }

    @Test
    void theSettingsAreDescribedInTheConfigurationMetadata() throws Exception {
        ClassPathResource metadata = new ClassPathResource("META-INF/spring-configuration-metadata.json");

        assertThat(metadata.exists()).isTrue();
        assertThat(metadata.getContentAsString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"tidings.publisher.url\"", "\"tidings.publisher.token\"",
                        "\"tidings.publisher.oauth2.registration-id\"", "\"tidings.publisher.retry.max-attempts\"",
                        "\"tidings.publisher.request-timeout\"");
    }

    private static void assertFailure(AssertableApplicationContext context, String message, String action) {
        assertThat(context).hasFailed();
        assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(TidingsConfigurationException.class)
                .rootCause().hasMessageContaining(message);
        FailureAnalysis analysis = new TidingsConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains(message);
        assertThat(analysis.getAction()).contains(action);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {

        final Tidings tidings = Tidings.builder().baseUrl("http://127.0.0.1:9999").token("own").build();

        @Bean
        Tidings ownTidings() {
            return tidings;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnTokenSource {

        @Bean
        TokenSource vault() {
            return new StaticTokenSource("from-the-vault");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRetryListener {

        @Bean
        RetryListener retryCounter() {
            return (attempt, delay, reason) -> { };
        }
    }
}
