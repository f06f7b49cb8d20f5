package dev.tidings.client.autoconfigure;

import dev.tidings.client.TokenSource;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;

/**
 * Tokens from an OAuth2 authorization server, with the client credentials grant of one client
 * registration: the manager keeps the access token and gets a new one when it is about to expire,
 * so {@link #token()} is cheap while the token lasts.
 *
 * <p>Give it a manager that works outside any web request, such as an
 * {@code AuthorizedClientServiceOAuth2AuthorizedClientManager}: notifications are sent from any thread.
 *
 * <p>Thread-safe as its manager is.
 */
public final class OAuth2ClientCredentialsTokenSource implements TokenSource {

    private final OAuth2AuthorizedClientManager manager;
    private final String registrationId;
    private final String principal;

    /**
     * A source of the access tokens of {@code registrationId}.
     *
     * @param manager authorizes the client
     * @param registrationId the client registration, with the {@code client_credentials} grant
     * @param principal the name the authorized client is kept under
     */
    public OAuth2ClientCredentialsTokenSource(OAuth2AuthorizedClientManager manager, String registrationId,
            String principal) {
        this.manager = manager;
        this.registrationId = registrationId;
        this.principal = principal;
    }

    /**
     * The registration's current access token, obtained or renewed first when needed.
     *
     * @throws org.springframework.security.oauth2.client.ClientAuthorizationException when the
     *     authorization server refuses
     * @throws IllegalStateException when the registration gives no token
     */
    @Override
    public String token() {
        OAuth2AuthorizedClient client = manager.authorize(
                OAuth2AuthorizeRequest.withClientRegistrationId(registrationId).principal(principal).build());
        if (client == null) {
            throw new IllegalStateException("the OAuth2 client registration '" + registrationId
                    + "' gave no access token: is its authorization-grant-type client_credentials?");
        }
        return client.getAccessToken().getTokenValue();
    }

    @Override
    public String toString() {
        return "OAuth2ClientCredentialsTokenSource[" + registrationId + "]";
    }
}
