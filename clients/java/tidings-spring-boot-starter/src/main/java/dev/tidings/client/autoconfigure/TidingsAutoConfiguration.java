package dev.tidings.client.autoconfigure;

import java.util.Objects;

import dev.tidings.client.RetryListener;
import dev.tidings.client.Tidings;
import dev.tidings.client.TokenSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link Tidings} client bean from {@code tidings.publisher.*} ({@link TidingsPublisherProperties}),
 * unless the application defines its own. Its {@link TokenSource} is, in this order: the
 * application's own {@code TokenSource} bean; OAuth2 client credentials when
 * {@code tidings.publisher.oauth2.registration-id} is set and Spring Security's OAuth2 client is on
 * the classpath; the fixed {@code tidings.publisher.token}. The application's {@link JsonMapper}
 * writes payloads, and its {@link RetryListener} bean, if any, hears of retries.
 *
 * <p>Start-up fails with a {@link TidingsConfigurationException} saying what to set when the URL
 * or every token source is missing, or when both a token and a registration are set.
 */
@AutoConfiguration(afterName = "org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration")
@ConditionalOnClass(Tidings.class)
@EnableConfigurationProperties(TidingsPublisherProperties.class)
public final class TidingsAutoConfiguration {

    static final String OAUTH2_MANAGER = "org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager";

    @Bean
    @ConditionalOnMissingBean
    Tidings tidings(TidingsPublisherProperties properties, ObjectProvider<TokenSource> tokenSource,
            ObjectProvider<JsonMapper> jsonMapper, ObjectProvider<RetryListener> retryListener,
            ResourceLoader resourceLoader) {
        if (properties.url() == null) {
            throw new TidingsConfigurationException("No Tidings publisher URL: tidings.publisher.url is not set.",
                    "Set tidings.publisher.url to the publisher's base URL, e.g. https://tidings.example.com, "
                            + "or define a Tidings bean of your own.");
        }
        TokenSource tokens = tokenSource.getIfAvailable();
        if (tokens == null) {
            throw noTokenSource(properties, resourceLoader.getClassLoader());
        }
        Tidings.Builder builder = Tidings.builder()
                .baseUrl(properties.url())
                .tokenSource(tokens)
                .connectTimeout(properties.connectTimeout())
                .requestTimeout(properties.requestTimeout())
                .retryPolicy(properties.retry().toPolicy());
        jsonMapper.ifAvailable(builder::jsonMapper);
        retryListener.ifAvailable(builder::retryListener);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty("tidings.publisher.token")
    TokenSource tidingsStaticTokenSource(TidingsPublisherProperties properties) {
        requireOneTokenSetting(properties);
        return TokenSource.of(Objects.requireNonNull(properties.token()));
    }

    private static TidingsConfigurationException noTokenSource(TidingsPublisherProperties properties,
            @Nullable ClassLoader classLoader) {
        if (properties.oauth2().registrationId() != null && !ClassUtils.isPresent(OAUTH2_MANAGER, classLoader)) {
            return new TidingsConfigurationException("tidings.publisher.oauth2.registration-id is set, but Spring "
                    + "Security's OAuth2 client is not on the classpath.",
                    "Add org.springframework.boot:spring-boot-starter-security-oauth2-client (or "
                            + "spring-security-oauth2-client), or set tidings.publisher.token instead.");
        }
        return new TidingsConfigurationException("No token for the Tidings publisher: neither tidings.publisher.token "
                + "nor tidings.publisher.oauth2.registration-id is set.",
                "Set tidings.publisher.token to a token with the notifications:publish scope, or "
                        + "tidings.publisher.oauth2.registration-id to a client_credentials registration, or define a "
                        + "TokenSource bean.");
    }

    private static void requireOneTokenSetting(TidingsPublisherProperties properties) {
        if (properties.token() != null && properties.oauth2().registrationId() != null) {
            throw new TidingsConfigurationException("Both tidings.publisher.token and "
                    + "tidings.publisher.oauth2.registration-id are set: the Tidings client would not know which to use.",
                    "Remove one of them.");
        }
    }

    /** Client credentials through Spring Security's OAuth2 client, when the application names a registration. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OAuth2AuthorizedClientManager.class)
    @ConditionalOnProperty("tidings.publisher.oauth2.registration-id")
    static final class OAuth2TokenSourceConfiguration {

        /**
         * The token source of the named registration. It authorizes through a manager of its own,
         * over the application's {@link OAuth2AuthorizedClientService} (or an in-memory one): the
         * application's {@link OAuth2AuthorizedClientManager}, if it has one, may need a web request,
         * and notifications are sent from any thread.
         */
        @Bean
        @ConditionalOnMissingBean
        TokenSource tidingsOAuth2TokenSource(TidingsPublisherProperties properties,
                ObjectProvider<ClientRegistrationRepository> registrations,
                ObjectProvider<OAuth2AuthorizedClientService> authorizedClients) {
            requireOneTokenSetting(properties);
            String registrationId = Objects.requireNonNull(properties.oauth2().registrationId());
            ClientRegistrationRepository repository = registrations.getIfAvailable();
            if (repository == null) {
                throw new TidingsConfigurationException("tidings.publisher.oauth2.registration-id is '" + registrationId
                        + "', but the application has no OAuth2 client registrations (no ClientRegistrationRepository).",
                        "Define spring.security.oauth2.client.registration." + registrationId + ".* (with "
                                + "spring-boot-starter-security-oauth2-client), or a ClientRegistrationRepository bean.");
            }
            ClientRegistration registration = repository.findByRegistrationId(registrationId);
            if (registration == null) {
                throw new TidingsConfigurationException("tidings.publisher.oauth2.registration-id is '" + registrationId
                        + "', but no OAuth2 client registration has that id.",
                        "Define spring.security.oauth2.client.registration." + registrationId + ".*, or name one "
                                + "that exists.");
            }
            if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(registration.getAuthorizationGrantType())) {
                throw new TidingsConfigurationException("The OAuth2 client registration '" + registrationId
                        + "' has the grant type " + registration.getAuthorizationGrantType().getValue()
                        + "; the Tidings client needs client_credentials.",
                        "Set spring.security.oauth2.client.registration." + registrationId
                                + ".authorization-grant-type=client_credentials, or name another registration.");
            }
            OAuth2AuthorizedClientService service = authorizedClients
                    .getIfAvailable(() -> new InMemoryOAuth2AuthorizedClientService(repository));
            AuthorizedClientServiceOAuth2AuthorizedClientManager manager =
                    new AuthorizedClientServiceOAuth2AuthorizedClientManager(repository, service);
            manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder().clientCredentials().build());
            return new OAuth2ClientCredentialsTokenSource(manager, registrationId, properties.oauth2().principal());
        }
    }
}
