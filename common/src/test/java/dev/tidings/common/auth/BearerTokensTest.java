package dev.tidings.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerTokensTest {

    @Test
    void theTokenOfABearerHeaderIsTakenWhateverTheSchemesCase() {
        assertThat(BearerTokens.fromAuthorization("Bearer abc.def")).isEqualTo("abc.def");
        assertThat(BearerTokens.fromAuthorization("bearer  abc.def ")).isEqualTo("abc.def");
        assertThat(BearerTokens.fromAuthorization("BEARER abc")).isEqualTo("abc");
    }

    @Test
    void noHeaderAnotherSchemeOrAnEmptyTokenGiveNoToken() {
        assertThat(BearerTokens.fromAuthorization(null)).isNull();
        assertThat(BearerTokens.fromAuthorization("Basic dXNlcjpwYXNz")).isNull();
        assertThat(BearerTokens.fromAuthorization("Bearer ")).isNull();
        assertThat(BearerTokens.fromAuthorization("Bearer    ")).isNull();
        assertThat(BearerTokens.fromAuthorization("Bearerabc")).isNull();
    }
}
